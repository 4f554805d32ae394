/**
 * The surveys module's work in the worker pool (files/worker-pool.ts; bundled as dist/surveys-worker.js): reading and
 * validating an uploaded file into typed columns, and estimating a wave. Columns come back in SharedArrayBuffers, so
 * handing them to the caller, then to the estimator and the encoder, copies nothing. Errors the caller tells apart
 * (CSV syntax, StatsError) come back as values, since a class does not cross threads.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SurveyDesign, SurveyRole } from '@kesu/shared';
import { openDatabase } from '../../db/database';
import { StatsError } from '@kesu/stats';
import type { StoredColumn } from './microdata.codec';
import { CsvSyntaxError, type MicrodataFormat, readRecordBatches } from './microdata.reader';
import { type CollectOptions, type Collected, MicrodataCollector } from './microdata.validate';
import { computeWaveEstimates, statsColumns } from './surveys.estimate';
import { type ImportedWave, writeImportedWave } from './surveys.save';

function shared<T extends Float64Array | Int32Array>(a: T): T {
  const out = (
    a instanceof Float64Array
      ? new Float64Array(new SharedArrayBuffer(a.byteLength))
      : new Int32Array(new SharedArrayBuffer(a.byteLength))
  ) as T;
  out.set(a);
  return out;
}

function sharedColumn(c: StoredColumn): StoredColumn {
  return c.kind === 'num'
    ? { kind: 'num', values: shared(c.values) }
    : { kind: 'cat', codes: shared(c.codes), levels: c.levels };
}

export type CollectAnswer = { ok: true; collected: Collected } | { ok: false; line: number; message: string };

/** Read a microdata file and validate its records into columns; progress `{ bytes, rows }` goes to `port`. */
export async function collect(arg: {
  file: string;
  format: MicrodataFormat;
  header: string[];
  opts: CollectOptions;
  port: MessagePort;
}): Promise<CollectAnswer> {
  const { port } = arg;
  try {
    const collector = new MicrodataCollector(arg.header, arg.opts);
    let bytes = 0;
    let line = 1;
    let isHeader = true;
    for await (const batch of readRecordBatches(arg.file, arg.format, (b) => {
      bytes = b;
    })) {
      const records = isHeader ? batch.slice(1) : batch;
      if (isHeader) line = 2;
      isHeader = false;
      collector.add(records, line);
      line += records.length;
      port.postMessage({ bytes, rows: line - 2 });
    }
    const c = collector.finish();
    const columns: Partial<Record<SurveyRole, StoredColumn>> = {};
    for (const [role, col] of Object.entries(c.columns)) columns[role as SurveyRole] = sharedColumn(col!);
    port.postMessage({ bytes, rows: c.n });
    return { ok: true, collected: { ...c, columns } };
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { ok: false, line: err.line, message: err.message };
    throw err;
  } finally {
    port.close();
  }
}

export type EstimateAnswer =
  | { ok: true; estimates: Awaited<ReturnType<typeof computeWaveEstimates>> }
  | { ok: false; code: StatsError['code']; message: string; details: Record<string, unknown> | undefined };

/** Every estimate of a wave from its stored columns (surveys.estimate.ts `computeWaveEstimates`). */
export async function estimate(arg: {
  columns: Partial<Record<SurveyRole, StoredColumn>>;
  design: SurveyDesign;
}): Promise<EstimateAnswer> {
  try {
    return {
      ok: true,
      estimates: await computeWaveEstimates(statsColumns(arg.columns, arg.design), arg.design),
    };
  } catch (err) {
    if (err instanceof StatsError)
      return { ok: false, code: err.code, message: err.message, details: err.details };
    throw err;
  }
}

/** An imported wave to save, and the SQLite database file to save it in. */
export type SaveWaveArg = ImportedWave & { file: string };

/** The saving transaction of an import on SQLite, on a connection of this thread (surveys.service.ts `saveWave`). */
export async function saveImportedWave({ file, ...wave }: SaveWaveArg): Promise<void> {
  const db = openDatabase({ kind: 'sqlite', file });
  try {
    await writeImportedWave(db.kysely, wave);
  } finally {
    await db.close();
  }
}
