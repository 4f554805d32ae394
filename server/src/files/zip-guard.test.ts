import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../test/env';
import { buildTwoTaskPlanDraft } from '../test/plan-factory';
import { docxBomb, makeZip, xlsxBomb } from '../test/zip';
import { uploadPreview } from '../test/plans-factory';
import { call, multipart } from '../test/reporting-factory';
import { uploadFile } from '../test/survey-fixtures';
import { checkZipBuffer, ZIP_LIMITS, ZipRefused } from './zip-guard';

const MB = 1024 * 1024;

describe('zip guard', () => {
  it('refuses an entry that declares more than its cap, before inflating anything', async () => {
    const bomb = await docxBomb(40);
    await expect(checkZipBuffer(bomb, ZIP_LIMITS.docx)).rejects.toMatchObject({ kind: 'too-large' });
  });

  it('refuses an entry that lies about its size, stopping at the declared size', async () => {
    const bomb = await docxBomb(40, { declaredSize: 1000 });
    const err = await checkZipBuffer(bomb, ZIP_LIMITS.docx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZipRefused);
    expect((err as ZipRefused).kind).toBe('lying-size');
    expect((err as ZipRefused).details).toMatchObject({ entry: 'word/document.xml', declaredBytes: 1000 });
  });

  it('refuses too many entries, and caps the total over all entries', async () => {
    const many = await makeZip(
      Array.from({ length: 300 }, (_, i) => ({ name: `p${i}.xml`, data: Buffer.from('x') })),
    );
    await expect(checkZipBuffer(many, ZIP_LIMITS.template)).rejects.toMatchObject({
      kind: 'too-many-entries',
    });
    const parts = await makeZip(
      Array.from({ length: 4 }, (_, i) => ({
        name: `p${i}.xml`,
        repeat: { chunk: Buffer.alloc(MB, 32), times: 15 },
      })),
    );
    await expect(checkZipBuffer(parts, ZIP_LIMITS.template)).rejects.toMatchObject({ kind: 'too-large' });
  });

  it('caps the parts a streaming reader holds in memory (shared strings) tighter than worksheets', async () => {
    const bomb = await xlsxBomb(60);
    await expect(checkZipBuffer(bomb, ZIP_LIMITS.surveyXlsx)).rejects.toMatchObject({
      kind: 'too-large',
      details: { entry: 'xl/sharedStrings.xml' },
    });
  });

  it('passes a real workbook and refuses what is not a zip', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('a').getCell('A1').value = '区县';
    const real = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await checkZipBuffer(real, ZIP_LIMITS.template)).length).toBeGreaterThan(3);
    await expect(
      checkZipBuffer(Buffer.from('PK\x03\x04 not really'), ZIP_LIMITS.template),
    ).rejects.toMatchObject({
      kind: 'not-zip',
    });
  });
});

/** Issue 8, item 2: each bomb of the issue through its route answers 413 and the server keeps serving. */
describeEachDialect('decompression bombs are refused before any parser sees them', (env) => {
  let admin = '';
  let analyst = '';
  let reporter = '';
  let cycleId = '';
  beforeAll(async () => {
    const e = env();
    const a = await e.makeUnit();
    const b = await e.makeUnit();
    admin = (await e.makeUser('admin')).cookie;
    analyst = (await e.makeUser('analyst')).cookie;
    reporter = (await e.makeUser('reporter', { unitId: a.id })).cookie;
    const res = await call(e.app, admin, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft(a, b),
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = await call(e.app, admin, 'POST', '/api/v1/reporting/cycles', {
      planId: res.json().plan.id,
      name: '2026年上半年',
      frequency: 'half_yearly',
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      dueDate: '2099-01-15',
    });
    expect(c.statusCode, c.body).toBe(201);
    cycleId = c.json().id;
  });

  const healthy = async () => expect((await env().app.inject({ url: '/healthz' })).statusCode).toBe(200);

  it('a .docx inflating to 100 MB previewed as a plan: 413', async () => {
    for (const bomb of [await docxBomb(100), await docxBomb(100, { declaredSize: 4096 })]) {
      const r = await uploadPreview(env().app, admin, '规划.docx', bomb);
      expect(r.statusCode, r.body).toBe(413);
      expect(r.json().error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(r.json().error.message).toMatch(/解压|压缩/);
    }
    await healthy();
  }, 60_000);

  it('a template .xlsx inflating to 300 MB: 413, nothing written', async () => {
    const m = multipart('填报模板.xlsx', await xlsxBomb(300));
    const r = await env().app.inject({
      method: 'POST',
      url: `/api/v1/exchange/templates/${cycleId}/upload`,
      headers: { origin: ORIGIN, cookie: reporter, ...m.headers },
      payload: m.payload,
    });
    expect(r.statusCode, r.body).toBe(413);
    await healthy();
  }, 60_000);

  it('a genuine template with one more cell at row 1,048,576 is read by its filled rows only', async () => {
    const d = await env().app.inject({
      method: 'POST',
      url: '/api/v1/exchange/templates',
      headers: { origin: ORIGIN, cookie: reporter },
      payload: { cycleId },
    });
    expect(d.statusCode, d.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(d.rawPayload as unknown as ExcelJS.Buffer);
    wb.getWorksheet('填报')!.getCell(1_048_576, 10).value = 1;
    const m = multipart('t.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const r = await env().app.inject({
      method: 'POST',
      url: `/api/v1/exchange/templates/${cycleId}/upload`,
      headers: { origin: ORIGIN, cookie: reporter, ...m.headers },
      payload: m.payload,
    });
    // The far row has no ids: it is not a template row, and the signature over the real rows still holds.
    expect(r.statusCode, r.body).toBe(200);
  }, 60_000);

  it('a survey .xlsx whose shared strings inflate to 600 MB: 413, the upload file removed', async () => {
    const r = await uploadFile(env().app, analyst, '调查.xlsx', await xlsxBomb(600, { declaredSize: 2048 }));
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json().error.details).toMatchObject({ reason: 'lying-size' });
    await healthy();
  }, 120_000);

  it('a survey CSV header of 100,000 columns: 400; one 2 MB line: 413 (both named in Chinese)', async () => {
    const wide = `${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n1,2\n`;
    const r = await uploadFile(env().app, analyst, 'wide.csv', wide);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error.message).toContain('列上限');
    const long = await uploadFile(env().app, analyst, 'long.csv', `a,b\n1,${'x'.repeat(2_000_000)}\n`);
    expect(long.statusCode, long.body).toBe(413);
    expect(long.json().error.message).toContain('第 2 行');
  });

  it('a survey CSV header with 4,000 distinct columns and one repeated is told which', async () => {
    const cols = Array.from({ length: 4000 }, (_, i) => `c${i}`);
    const r = await uploadFile(env().app, analyst, 'dup.csv', `${[...cols, 'c17'].join(',')}\n`);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error.message).toContain('「c17」重复');
  });

  it('a 2 MB plan text of numbered headings is parsed off the event loop and refused past the task cap (413)', async () => {
    const lines = ['某市全民科学素质行动实施方案'];
    for (let i = 0; i < 100_000; i++) lines.push(`${(i % 90) + 1}. 加强科普工作${i}`);
    const r = await uploadPreview(env().app, admin, 'plan.txt', Buffer.from(lines.join('\n')));
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json().error.message).toContain('超过 20000 个任务的上限');
    await healthy();
  }, 120_000);
});
