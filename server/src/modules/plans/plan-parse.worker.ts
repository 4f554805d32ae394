/**
 * Parses the text of a large plan document in a worker thread (started by plan-document.ts), so a 10 MB text of
 * numbered headings takes a core for seconds but never the server's event loop. In: workerData { text }. Out: one
 * message { ok: true, plan } or { ok: false, code, details? } with the parser's error code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isPlanParseError, parsePlan } from '@kesu/plan-parser';

const port = parentPort;
if (!port) throw new Error('plan-parse.worker.ts runs as a worker thread');
try {
  port.postMessage({ ok: true, plan: parsePlan((workerData as { text: string }).text) });
} catch (err) {
  if (isPlanParseError(err)) port.postMessage({ ok: false, code: err.code, details: err.details });
  else throw err;
}
