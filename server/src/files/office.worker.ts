/**
 * Reads an untrusted office file in a worker thread (started by office-reader.ts) with a heap and a time limit, so
 * a file that makes mammoth or exceljs eat memory or spin ends this thread, never the server. Files reach it only
 * after the zip guard (zip-guard.ts). Self-contained on purpose: it imports only packages, so it runs as TypeScript
 * source (Node strips the types) and as dist/office-worker.js in the bundle alike.
 *
 * In: workerData { task: 'docx-html', data } or { task: 'xlsx-cells', data, sheets, maxRows, maxCols }.
 * Out: one message: { ok: true, html } | { ok: true, sheetNames, sheets: { [name]: [[rowNumber, values]] } }
 * (values 0-based, column A first) | { ok: false, code: 'invalid' | 'too-many-rows', rows? }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';

const port = parentPort;
if (!port) throw new Error('office.worker.ts runs as a worker thread');

type Input =
  | { task: 'docx-html'; data: Uint8Array }
  | { task: 'xlsx-cells'; data: Uint8Array; sheets: string[]; maxRows: number; maxCols: number };
const input = workerData as Input;

async function run(): Promise<unknown> {
  const buffer = Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength);
  if (input.task === 'docx-html') {
    try {
      return { ok: true, html: (await mammoth.convertToHtml({ buffer })).value };
    } catch {
      return { ok: false, code: 'invalid' };
    }
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false, code: 'invalid' };
  }
  const sheets: Record<string, Array<[number, unknown[]]>> = {};
  for (const name of input.sheets) {
    const ws = wb.getWorksheet(name);
    if (!ws) continue;
    // Only rows that hold something: a lone cell at row 1,048,576 is one row, not a million.
    if (ws.actualRowCount > input.maxRows)
      return { ok: false, code: 'too-many-rows', rows: ws.actualRowCount };
    const rows: Array<[number, unknown[]]> = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const values = row.values as unknown[];
      const out: unknown[] = [];
      for (let c = 1; c <= input.maxCols; c++) out.push(values[c] ?? null);
      rows.push([n, out]);
    });
    sheets[name] = rows;
  }
  return { ok: true, sheetNames: wb.worksheets.map((w) => w.name), sheets };
}

port.postMessage(await run());
