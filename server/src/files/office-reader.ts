import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import { checkZipBuffer, checkZipFile, type ZipLimits, ZipRefused } from './zip-guard';

/**
 * Office files (.docx, .xlsx) are parsed in a worker thread (office.worker.ts) with a heap and a time limit, after
 * the zip guard: a crafted file is refused, or ends its worker, and never takes the server's memory or event loop.
 */

/** The worker: TypeScript source beside this file (tests, tsx), or dist/office-worker.js beside the bundle. */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./office.worker.ts', import.meta.url)
  : new URL('./office-worker.js', import.meta.url);

/** Limits of one office read: heap of the worker, wall time, workers at once (two cores, finite memory). */
export const OFFICE_LIMITS = { heapMb: 256, timeoutMs: 30_000, concurrent: 2 };

let running = 0;
const waiting: Array<() => void> = [];

async function slot(): Promise<() => void> {
  if (running >= OFFICE_LIMITS.concurrent) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

type Failure = { ok: false; code: 'invalid' | 'too-many-rows' | 'too-complex' | 'timeout'; rows?: number };

function runWorker<T>(workerData: Record<string, unknown>): Promise<T | Failure> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_URL, {
      workerData,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: OFFICE_LIMITS.heapMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (answer: T | Failure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Answer once the thread is gone, so no worker outlives its request.
      worker.terminate().then(
        () => resolve(answer),
        () => resolve(answer),
      );
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'timeout' }), OFFICE_LIMITS.timeoutMs);
    worker.once('message', (m: T) => finish(m));
    worker.once('error', (err: Error & { code?: string }) =>
      finish({ ok: false, code: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too-complex' : 'invalid' }),
    );
    worker.once('exit', () => finish({ ok: false, code: 'invalid' }));
  });
}

async function inWorker<T>(workerData: Record<string, unknown>): Promise<T | Failure> {
  const release = await slot();
  try {
    return await runWorker<T>(workerData);
  } finally {
    release();
  }
}

/** Check an archive (bytes, or a file path) with the zip guard; its refusal as the API's error: 413 for sizes, else the
 * caller's "not this format". */
export async function guardZip(
  buf: Uint8Array | string,
  limits: ZipLimits,
  invalid: () => AppError,
): Promise<void> {
  try {
    if (typeof buf === 'string') await checkZipFile(buf, limits);
    else await checkZipBuffer(buf, limits);
  } catch (err) {
    if (!(err instanceof ZipRefused)) throw err;
    if (err.kind === 'too-large' || err.kind === 'too-many-entries' || err.kind === 'lying-size') {
      throw new AppError('PAYLOAD_TOO_LARGE', err.message, { reason: err.kind, ...err.details });
    }
    throw invalid();
  }
}

function tooComplex(what: string, code: string): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `${what}内容过于庞大或复杂，超出读取的内存或时间上限，已拒绝`, {
    reason: code,
  });
}

/** A .docx (already through the zip guard) → mammoth's HTML, or null when it is not a Word document. */
export async function docxToHtml(buf: Uint8Array): Promise<string | null> {
  const r = await inWorker<{ ok: true; html: string }>({ task: 'docx-html', data: buf });
  if (r.ok) return r.html;
  if (r.code === 'invalid') return null;
  throw tooComplex('Word 文档', r.code);
}

export interface XlsxCells {
  sheetNames: string[];
  /** Per requested sheet present: rows that hold something, as [row number, cell values of columns 1..maxCols]. */
  sheets: Record<string, Array<[number, unknown[]]>>;
}

/** Cell values of some sheets of an .xlsx (already through the zip guard), or null when it is not a workbook. */
export async function readXlsxCells(
  buf: Uint8Array,
  opts: { sheets: string[]; maxRows: number; maxCols: number },
): Promise<XlsxCells | null> {
  const r = await inWorker<{ ok: true } & XlsxCells>({ task: 'xlsx-cells', data: buf, ...opts });
  if (r.ok) return { sheetNames: r.sheetNames, sheets: r.sheets };
  if (r.code === 'invalid') return null;
  if (r.code === 'too-many-rows') {
    throw new AppError('PAYLOAD_TOO_LARGE', `工作表有 ${r.rows ?? '过多'} 行，超过 ${opts.maxRows} 行上限`, {
      rows: r.rows,
      limitRows: opts.maxRows,
    });
  }
  throw tooComplex('Excel 工作簿', r.code);
}
