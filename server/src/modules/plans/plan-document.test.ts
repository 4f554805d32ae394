import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePlan, toPlanDocument } from '@kesu/plan-parser';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { makePdf, makeScannedPdf } from '../../test/pdf';
import { documentToText } from './plan-document';
import { SOFFICE } from './plan-document-soffice';
import { makeDocx } from '../../test/plans-factory';

// Every format a plan is published in, read back to the expected parse of its text fixture (fixtures/plans).
const fixture = (name: string): Buffer =>
  fs.readFileSync(new URL(`../../../../fixtures/plans/${name}`, import.meta.url));
const expected = (name: string): unknown => JSON.parse(fixture(`${name}.expected.json`).toString('utf8'));
const parsed = (text: string) => toPlanDocument(parsePlan(text));

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('PDF', () => {
  it.each([
    'xuzhou-2022',
    'county-web-oneline',
    'city-pdf-artefacts',
    'district-chapters',
    'county-division-table',
  ])('%s: a PDF made from the text parses to the same tasks, units and targets', async (name) => {
    const pdf = await makePdf(fixture(`${name}.txt`).toString('utf8'));
    const doc = await documentToText(pdf, `${name}.pdf`);
    expect(doc.format).toBe('pdf');
    expect(parsed(doc.text)).toEqual(expected(name));
  });

  it('keeps reading order over two columns, narrow lines and a running header on every page', async () => {
    const layouts = [
      ['district-chapters', 2],
      ['xuzhou-2022', 2],
      ['county-division-table', 1],
    ] as const;
    for (const [name, columns] of layouts) {
      const text = fixture(`${name}.txt`).toString('utf8');
      const pdf = await makePdf(text, { columns, header: '某某全民科学素质行动实施方案' });
      const doc = await documentToText(pdf);
      expect(doc.text).not.toContain('某某全民科学素质行动实施方案');
      expect(doc.text).not.toMatch(/— \d+ —/);
      expect(parsed(doc.text), name).toEqual(expected(name));
    }
  });

  it('refuses a scan (no text layer) with a message that OCR is needed', async () => {
    const err = await refusal(documentToText(await makeScannedPdf(3)));
    expect([err.code, err.status]).toEqual(['PLAN_FILE_NEEDS_OCR', 422]);
    expect(err.message).toContain('OCR');
  });

  it('refuses a PDF with an opening password, and a damaged one, in Chinese', async () => {
    const text = fixture('district-chapters.txt').toString('utf8');
    const locked = await refusal(documentToText(await makePdf(text, { userPassword: 'secret' })));
    expect([locked.code, locked.status]).toEqual(['PLAN_FILE_ENCRYPTED', 422]);
    expect(locked.message).toContain('密码');
    const damaged = await refusal(documentToText(Buffer.from('%PDF-1.7\n一、总体要求\n')));
    expect(damaged.code).toBe('PLAN_FILE_UNSUPPORTED');
    expect(damaged.message).toContain('PDF');
  });
});

describe('web pages', () => {
  const html = fixture('district-web.html').toString('utf8');

  it('reads the article of a saved page (no menus, footers or scripts), its table as rows', async () => {
    const doc = await documentToText(Buffer.from(html), 'page.html');
    expect([doc.format, doc.encoding]).toEqual(['html', 'html']);
    expect(doc.text).not.toMatch(/首页|打印本页|_hmt|索引号/);
    expect(doc.text).toContain('区级科普教育基地\t家\t12\t16\t20');
    expect(parsed(doc.text)).toEqual(expected('district-web'));
  });

  it('decodes a page saved in GB2312/GBK, and one saved as a single file (.mhtml)', async () => {
    const gbkHtml = html.replace('charset=utf-8', 'charset=gb2312');
    const gbk = iconv.encode(gbkHtml, 'gbk');
    expect(parsed((await documentToText(gbk)).text)).toEqual(expected('district-web'));

    const qp = [...gbk]
      .map((b) =>
        b >= 33 && b <= 126 && b !== 61
          ? String.fromCharCode(b)
          : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      .join('')
      .replace(/(.{72})/g, '$1=\r\n');
    const mhtml = [
      'From: <Saved by Blink>',
      'Subject: =?utf-8?Q?=E6=BA=AA=E5=8D=97?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/related; type="text/html"; boundary="----MultipartBoundary--kesu"',
      '',
      '------MultipartBoundary--kesu',
      'Content-Type: text/html; charset=gb2312',
      'Content-Transfer-Encoding: quoted-printable',
      'Content-Location: https://www.example.gov.cn/zcwj/1.html',
      '',
      qp,
      '------MultipartBoundary--kesu--',
      '',
    ].join('\r\n');
    const doc = await documentToText(Buffer.from(mhtml, 'latin1'), 'page.mhtml');
    expect([doc.format, doc.encoding]).toEqual(['html', 'mhtml']);
    expect(parsed(doc.text)).toEqual(expected('district-web'));
  });
});

describe('Word', () => {
  it('reads a .docx whose units are only in its 任务分工表 (a Word table)', async () => {
    const docx = await makeDocx(fixture('county-division-table.txt').toString('utf8'));
    const doc = await documentToText(docx, 'plan.docx');
    expect(doc.format).toBe('docx');
    expect(parsed(doc.text)).toEqual(expected('county-division-table'));
  });

  const hasSoffice = spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0;
  afterEach(() => {
    SOFFICE.command = 'soffice';
  });

  // CI installs LibreOffice (.ci/run), so there this always runs.
  it.runIf(hasSoffice || process.env.CI)(
    'reads a legacy .doc and a .wps through LibreOffice, tables included',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-doc-test-'));
      try {
        const input = path.join(dir, 'plan.docx');
        fs.writeFileSync(input, await makeDocx(fixture('county-division-table.txt').toString('utf8')));
        const made = spawnSync(
          'soffice',
          [
            `-env:UserInstallation=file://${dir}/profile`,
            '--headless',
            '--convert-to',
            'doc',
            '--outdir',
            dir,
            input,
          ],
          { stdio: 'ignore', timeout: 120_000 },
        );
        expect(made.status).toBe(0);
        const doc = fs.readFileSync(path.join(dir, 'plan.doc'));
        const asDoc = await documentToText(doc, 'plan.doc');
        expect(asDoc.format).toBe('doc');
        expect(parsed(asDoc.text)).toEqual(expected('county-division-table'));
        expect((await documentToText(doc, '实施方案.WPS')).format).toBe('wps');
        const broken = await refusal(documentToText(doc.subarray(0, 1024), 'broken.doc'));
        expect(broken.code).toBe('PLAN_FILE_UNSUPPORTED');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    240_000,
  );

  it('names what to install when LibreOffice is missing', async () => {
    SOFFICE.command = path.join(os.tmpdir(), 'kesu-no-such-soffice');
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const err = await refusal(documentToText(ole, 'old.doc'));
    expect([err.code, err.status]).toEqual(['PLAN_CONVERTER_MISSING', 415]);
    expect(err.message).toContain('libreoffice-writer-nogui');
  });
});
