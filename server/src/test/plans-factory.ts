import fs from 'node:fs';
import type { PlanDocument } from '@kesu/plan-parser';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, WidthType } from 'docx';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { ORIGIN } from './env';
import { samplePlanFile } from '../modules/plans/plans.sample';

/** The shipped sample: 徐州市全民科学素质行动规划实施方案 (the text of the golden fixture). */
export function xuzhouText(): string {
  return fs.readFileSync(samplePlanFile(), 'utf8');
}

/** The golden parse of the Xuzhou document (fixtures/plans in this repository). */
export function goldenPlan(): PlanDocument {
  const url = new URL('../../../fixtures/plans/xuzhou-2022.expected.json', import.meta.url);
  return JSON.parse(fs.readFileSync(url, 'utf8')) as PlanDocument;
}

/** A multipart/form-data body with one file field named "file". */
export function multipartBody(fileName: string, content: Uint8Array, boundary = 'kesuTestBoundary7MA4YWxk') {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, Buffer.from(content), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Upload a file to the preview endpoint. */
export function uploadPreview(
  app: FastifyInstance,
  cookie: string | null,
  fileName: string,
  content: Uint8Array,
) {
  const body = multipartBody(fileName, content);
  return app.inject({
    method: 'POST',
    url: '/api/v1/plans/preview',
    headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...body.headers },
    payload: body.payload,
  });
}

/**
 * A real .docx made with the `docx` package: one paragraph per line of `text`; consecutive lines with tabs become
 * one Word table (a row per line, a cell per tab-separated field), as a 任务分工表 is written in Word.
 */
export async function makeDocx(text: string): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [];
  let rows: string[][] = [];
  const flush = (): void => {
    if (rows.length === 0) return;
    const columns = Math.max(...rows.map((r) => r.length));
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: rows.map(
          (cells) =>
            new TableRow({
              children: Array.from(
                { length: columns },
                (_, i) => new TableCell({ children: [new Paragraph({ text: cells[i] ?? '' })] }),
              ),
            }),
        ),
      }),
    );
    rows = [];
  };
  for (const line of text.split('\n')) {
    if (line.includes('\t')) {
      rows.push(line.split('\t'));
      continue;
    }
    flush();
    children.push(new Paragraph({ text: line }));
  }
  flush();
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

/** The sample plan every test database is created with (Xuzhou's, the first plan). */
export async function samplePlanId(db: Kysely<Database>): Promise<string> {
  return (await db.selectFrom('plans').select('id').orderBy('created_at').executeTakeFirstOrThrow()).id;
}

/**
 * Every indicator typed into reports, as before the registries existed (issue 13): a plan's countable targets come
 * bound to registry queries out of the box, so tests of reported values, roll-ups and dashboards unbind them first.
 * Bindings themselves are tested in `plans/indicator-bindings.test.ts`.
 */
export async function typedIndicators(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('indicator_bindings').execute();
}
