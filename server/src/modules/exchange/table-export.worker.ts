/**
 * The exchange module's work in the worker pool (files/worker-pool.ts; bundled as dist/table-export-worker.js):
 * writing an export's .xlsx, so a large list does not hold the event loop.
 */
import { type XlsxSheet, writeXlsx } from './table-export';

export async function xlsxOfSheet(sheet: XlsxSheet): Promise<Uint8Array> {
  return writeXlsx(sheet);
}
