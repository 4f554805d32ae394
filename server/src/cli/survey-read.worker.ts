/**
 * The second half of a large survey CSV (survey-csv.ts `readCsvColumns`), read in a worker thread while the first
 * thread reads the first half; bundled as dist/survey-read-worker.js. In: workerData {@link RangeInput}. Out: one
 * message, {@link RangeAnswer} — the part's columns (their buffers moved, not copied), or { ok: false } for
 * anything it could not read, which the first thread then reads itself and reports with the file's own numbering.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCodedLabels } from '@kesu/stats';
import { type RangeAnswer, type RangeInput, readCsvRange } from './survey-csv';

const port = parentPort;
if (!port) throw new Error('survey-read.worker.ts runs as a worker thread');

readCsvRange(workerData as RangeInput).then(
  ({ rows, columns }) => {
    const moved = Object.values(columns).map((c) => (isCodedLabels(c) ? c.codes.buffer : c.buffer));
    port.postMessage({ ok: true, rows, columns } satisfies RangeAnswer, moved as ArrayBuffer[]);
  },
  () => port.postMessage({ ok: false } satisfies RangeAnswer),
);
