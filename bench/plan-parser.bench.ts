import fs from 'node:fs';
import path from 'node:path';
import { parsePlan } from '@kesu/plan-parser';
import iconv from 'iconv-lite';
import { documentToText, parsePlanFile } from '../server/src/modules/plans/plan-document';
import { makePdf } from '../server/src/test/pdf';
import { printTable, ROOT } from './lib';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time(fn: () => unknown, runs: number, warmup = Math.min(20, runs)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Whole copies of the plan, back to back, until the UTF-8 text reaches `bytes`. */
function repeated(text: string, bytes: number): string {
  const one = Buffer.byteLength(text, 'utf8');
  return Array.from({ length: Math.max(1, Math.round(bytes / one)) }, () => text).join('\n');
}

/**
 * Parse time of the Xuzhou document (issue 3 aims at a median under 20 ms) and of documents made of repeated
 * copies of it up to 5 MB (aim: linear, under 2 s), plus the file → text step (GBK decoding) on the 5 MB one.
 */
export async function benchPlanParser(): Promise<void> {
  const text = fs.readFileSync(path.join(ROOT, 'server/sample/xuzhou-2022.txt'), 'utf8');
  const xuzhou = time(() => parsePlan(text), 200);
  const rows: Record<string, string | number>[] = [
    {
      document: `徐州 2022 (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB)`,
      runs: xuzhou.length,
      tasks: parsePlan(text).tasks.length,
      'median ms': median(xuzhou).toFixed(2),
      'min ms': Math.min(...xuzhou).toFixed(2),
      'ms per MB': (median(xuzhou) / (Buffer.byteLength(text) / 2 ** 20)).toFixed(0),
    },
  ];
  for (const mb of [1, 2.5, 5]) {
    const big = repeated(text, mb * 2 ** 20);
    const size = Buffer.byteLength(big) / 2 ** 20;
    const runs = time(() => parsePlan(big), 5, 1);
    rows.push({
      document: `${(size).toFixed(2)} MB of repeated plans`,
      runs: runs.length,
      tasks: parsePlan(big).tasks.length,
      'median ms': median(runs).toFixed(0),
      'min ms': Math.min(...runs).toFixed(0),
      'ms per MB': (median(runs) / size).toFixed(0),
    });
  }
  printTable('plan parser (parsePlan, text → tasks, units, targets)', rows);

  const big = repeated(text, 5 * 2 ** 20);
  const gbk = iconv.encode(big, 'gbk');
  const utf8 = Buffer.from(big, 'utf8');
  const decode = async (buf: Uint8Array) => {
    const out: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await documentToText(buf);
      out.push(performance.now() - t0);
    }
    return median(out);
  };
  printTable('plan document → text (server/src/modules/plans/plan-document.ts), 5 MB', [
    { encoding: 'UTF-8', bytes: utf8.length, 'median ms': (await decode(utf8)).toFixed(0) },
    {
      encoding: 'GBK (strict UTF-8 fails, then GB18030)',
      bytes: gbk.length,
      'median ms': (await decode(gbk)).toFixed(0),
    },
  ]);

  await benchPdf(text);
}

/**
 * A 100-page PDF plan (copies of the Xuzhou document laid out in 3号 type by the test factory) read all the way to
 * a parsed plan: pdf.js in its worker thread, reading order, then the parser (issue 15 aims at under 2 s). The
 * first run includes starting the worker and loading pdf.js; the median is over the next runs.
 */
async function benchPdf(text: string): Promise<void> {
  const pagesOf = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
  let copies = 6;
  let pdf = await makePdf(Array.from({ length: copies }, () => text).join('\n'));
  while (pagesOf(pdf) < 100) {
    copies++;
    pdf = await makePdf(Array.from({ length: copies }, () => text).join('\n'));
  }
  const runs: number[] = [];
  let tasks = 0;
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const { plan } = await parsePlanFile(pdf, 'plan.pdf');
    runs.push(performance.now() - t0);
    tasks = plan.tasks.length;
  }
  const [first, ...rest] = runs;
  printTable('PDF plan → parsed plan (pdf.js in a worker + layout + parser)', [
    {
      document: `${pagesOf(pdf)} pages, ${(pdf.length / 1024).toFixed(0)} KB (${copies} × 徐州 2022)`,
      tasks,
      'first run ms': (first ?? 0).toFixed(0),
      'median ms': median(rest).toFixed(0),
      'min ms': Math.min(...rest).toFixed(0),
      'ms per page': (median(rest) / pagesOf(pdf)).toFixed(1),
    },
  ]);
}
