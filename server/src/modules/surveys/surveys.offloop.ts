import { MessageChannel } from 'node:worker_threads';
import type { SurveyDesign, SurveyEstimate, SurveyRole } from '@kesu/shared';
import { StatsError } from '@kesu/stats';
import { runInPool, workerEntry } from '../../files/worker-pool';
import type { StoredColumn } from './microdata.codec';
import { CsvSyntaxError, type MicrodataFormat } from './microdata.reader';
import type { CollectOptions, Collected } from './microdata.validate';
import type { CollectAnswer, EstimateAnswer, SaveWaveArg } from './surveys.worker';

/**
 * The surveys module's heavy work, run in the process's worker pool (surveys.worker.ts) so that a million-row
 * import leaves the event loop free: same inputs, same results, same errors as running it here.
 */

const entry = () => workerEntry(import.meta.url, 'surveys.worker.ts', 'surveys-worker.js');

/**
 * Read and validate a microdata file (the header is its first record) into typed columns, in the pool.
 * `onProgress(bytesRead, rowsRead)` is called as batches are read.
 * @throws CsvSyntaxError for a malformed CSV, like the reader.
 */
export async function collectMicrodata(
  file: string,
  format: MicrodataFormat,
  header: string[],
  opts: CollectOptions,
  onProgress: (bytes: number, rows: number) => void = () => {},
): Promise<Collected> {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (m: { bytes: number; rows: number }) => onProgress(m.bytes, m.rows));
  try {
    const a = await runInPool<CollectAnswer>(
      entry(),
      'collect',
      { file, format, header, opts, port: port2 },
      [port2],
    );
    if (!a.ok) throw new CsvSyntaxError(a.message, a.line);
    return a.collected;
  } finally {
    port1.close();
  }
}

/**
 * Every estimate a wave shows (surveys.estimate.ts `computeWaveEstimates` of `statsColumns`), in the pool.
 * @throws StatsError (LONELY_PSU, MARGIN_NOT_COVERED, …)
 */
export async function estimateWave(
  columns: Partial<Record<SurveyRole, StoredColumn>>,
  design: SurveyDesign,
): Promise<SurveyEstimate[]> {
  const a = await runInPool<EstimateAnswer>(entry(), 'estimate', { columns, design });
  if (!a.ok) throw new StatsError(a.code, a.message, a.details);
  return a.estimates;
}

/** Save an imported wave on SQLite from the pool, on its own connection (see surveys.service.ts `saveWave`). */
export async function saveWaveInPool(arg: SaveWaveArg): Promise<void> {
  await runInPool<void>(entry(), 'saveImportedWave', arg);
}
