import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors';
import { type PdfPage, pdfPagesToText, pdfTextChars } from './plan-pdf-layout';

/**
 * PDF → text. pdf.js runs in a worker thread (plan-pdf.worker.ts) with a heap limit and a time limit; the layout
 * (reading order, columns, page furniture) is done here from the items it returns (plan-pdf-layout.ts).
 */

/** The worker: TypeScript source beside this file (tests, tsx), or dist/pdf-worker.js beside the bundle. */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./plan-pdf.worker.ts', import.meta.url)
  : new URL('./pdf-worker.js', import.meta.url);

/** Limits of one PDF read. A 10 MB upload of text is far below them; a hostile file hits them and is refused. */
export const PDF_LIMITS = { maxPages: 1000, heapMb: 384, timeoutMs: 60_000, concurrent: 2 };

/** Fewer text characters than this per page on average: the PDF is a scan (images of pages), not text. */
const MIN_CHARS_PER_PAGE = 20;

type WorkerAnswer =
  | { ok: true; pages: PdfPage[] }
  | { ok: false; code: 'encrypted' | 'invalid' | 'too-many-pages' | 'unreadable'; pages?: number };

let running = 0;
const waiting: Array<() => void> = [];

/** At most `PDF_LIMITS.concurrent` PDF workers at once (two cores, finite memory); the others wait their turn. */
async function slot(): Promise<() => void> {
  if (running >= PDF_LIMITS.concurrent) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

function runWorker(data: Uint8Array): Promise<WorkerAnswer | { ok: false; code: 'too-complex' | 'timeout' }> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_URL, {
      workerData: { data, maxPages: PDF_LIMITS.maxPages },
      // Plain Node: no loader hooks of the parent (tsx would transpile pdf.js on every start); the worker is
      // erasable TypeScript that Node runs as is.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: PDF_LIMITS.heapMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    // pdf.js may print font warnings; they are not the server's log.
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (answer: WorkerAnswer | { ok: false; code: 'too-complex' | 'timeout' }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(answer);
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'timeout' }), PDF_LIMITS.timeoutMs);
    worker.once('message', (m: WorkerAnswer) => finish(m));
    worker.once('error', (err: Error & { code?: string }) =>
      finish({ ok: false, code: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too-complex' : 'unreadable' }),
    );
    worker.once('exit', () => finish({ ok: false, code: 'unreadable' }));
  });
}

/** The text of a PDF with a text layer, or an AppError saying in Chinese what to do with it. */
export async function pdfToText(buf: Uint8Array): Promise<string> {
  const release = await slot();
  let answer: Awaited<ReturnType<typeof runWorker>>;
  try {
    answer = await runWorker(buf);
  } finally {
    release();
  }
  if (!answer.ok) {
    switch (answer.code) {
      case 'encrypted':
        throw new AppError('PLAN_FILE_ENCRYPTED');
      case 'too-many-pages':
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `PDF 共 ${answer.pages ?? '很多'} 页，超过 ${PDF_LIMITS.maxPages} 页上限`,
          {
            pages: answer.pages,
            limitPages: PDF_LIMITS.maxPages,
          },
        );
      case 'too-complex':
      case 'timeout':
        throw new AppError('PAYLOAD_TOO_LARGE', 'PDF 内容过于庞大或复杂，超出读取的内存或时间上限，已拒绝', {
          reason: answer.code,
        });
      default:
        throw new AppError(
          'PLAN_FILE_UNSUPPORTED',
          'PDF 文件已损坏或无法读取，请用 PDF 阅读器另存后重新上传',
          {
            detected: 'pdf',
            reason: answer.code,
          },
        );
    }
  }
  const pages = answer.pages;
  if (pages.length === 0 || pdfTextChars(pages) < MIN_CHARS_PER_PAGE * pages.length) {
    throw new AppError('PLAN_FILE_NEEDS_OCR', undefined, { pages: pages.length, chars: pdfTextChars(pages) });
  }
  return pdfPagesToText(pages);
}
