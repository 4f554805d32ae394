import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  isPlanParseError,
  type ParsedPlan,
  PlanParseError,
  type PlanParseErrorCode,
  parsePlan,
} from '@kesu/plan-parser';
import { LIMITS, PLAN_MAX_TASKS, type PlanDocumentFormat, type PlanDraft } from '@kesu/shared';
import iconv from 'iconv-lite';
import { AppError } from '../../errors';
import { docxToHtml, guardZip } from '../../files/office-reader';
import { ZIP_LIMITS } from '../../files/zip-guard';
import { decodeHtml, htmlToText, looksLikeHtml, looksLikeMhtml, mhtmlToHtml } from './plan-document-html';
import { pdfToText } from './plan-document-pdf';
import { legacyWordToDocx } from './plan-document-soffice';

/**
 * File → text → parsed plan. The parser stays pure (text in, plan out); everything about bytes lives here: the
 * size limit, and one reader per format, chosen by the file's content (never its name):
 * - .docx (zip): the zip guard (entry count, declared and actual inflated sizes), then mammoth → HTML in a worker
 *   thread with a heap limit (files/office-reader.ts) → text, so tables (任务分工表) arrive as rows;
 * - PDF: pdf.js in a worker, reading order rebuilt from positions (plan-document-pdf.ts);
 * - HTML saved from a web page, or a web archive (.mhtml): main article → text (plan-document-html.ts);
 * - legacy .doc / .wps (OLE): LibreOffice headless → .docx when installed (plan-document-soffice.ts);
 * - plain text: UTF-8, UTF-16 with a BOM, else GB18030 (a superset of GBK and GB2312, what Chinese Windows saves
 *   "ANSI" text as).
 */

export interface DocumentText {
  text: string;
  format: PlanDocumentFormat;
  /** 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' for text and web pages; the format's name otherwise. */
  encoding: string;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];

function startsWith(buf: Uint8Array, magic: number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

/** "%PDF-" within the first KB (some producers put bytes before it; readers accept that). */
function isPdf(buf: Uint8Array): boolean {
  if (startsWith(buf, PDF)) return true;
  return Buffer.from(buf.subarray(0, 1024)).includes('%PDF-');
}

function unsupported(detected: string, hint?: string): AppError {
  return new AppError('PLAN_FILE_UNSUPPORTED', hint, { detected });
}

/** Strict UTF-8, or null when the bytes are not valid UTF-8. */
function decodeUtf8(buf: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    return null;
  }
}

/**
 * Plain text in whichever encoding it was saved. NUL bytes outside UTF-16 mean binary (GB18030 text never
 * contains them), so they are refused before any guess.
 */
function readText(buf: Uint8Array): DocumentText {
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    return {
      text: new TextDecoder('utf-16le').decode(buf.subarray(2)),
      format: 'text',
      encoding: 'utf-16le',
    };
  }
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    return {
      text: new TextDecoder('utf-16be').decode(buf.subarray(2)),
      format: 'text',
      encoding: 'utf-16be',
    };
  }
  if (buf.includes(0)) throw unsupported('binary');
  const utf8 = decodeUtf8(buf);
  if (utf8 !== null) return { text: utf8, format: 'text', encoding: 'utf-8' };
  return { text: iconv.decode(Buffer.from(buf), 'gb18030'), format: 'text', encoding: 'gb18030' };
}

/** A Word .docx: its HTML (paragraphs, and tables as rows) → text. */
async function readDocx(buf: Uint8Array): Promise<DocumentText> {
  const notDocx = () =>
    unsupported('zip', '该压缩文件不是有效的 Word（.docx）文档，请用 Word 或 WPS 另存为 .docx 后再上传');
  await guardZip(buf, ZIP_LIMITS.docx, notDocx);
  const html = await docxToHtml(buf);
  if (html === null) throw notDocx();
  return { text: htmlToText(html, { mainContent: false }), format: 'docx', encoding: 'docx' };
}

/** A web page saved as .html/.htm: decoded by its declared charset, its main article → text. */
function readHtml(buf: Uint8Array): DocumentText {
  const html = decodeHtml(buf);
  return { text: htmlToText(html), format: 'html', encoding: 'html' };
}

/** A web archive (.mhtml/.mht, a page saved "as a single file"): its HTML part → text. */
function readMhtml(buf: Uint8Array): DocumentText {
  const html = mhtmlToHtml(buf);
  if (html === null) throw unsupported('mhtml', '该网页存档（.mhtml）中没有网页正文');
  return { text: htmlToText(html), format: 'html', encoding: 'mhtml' };
}

/** A PDF with a text layer (a scan without one, an encrypted PDF: clear refusals). */
async function readPdf(buf: Uint8Array): Promise<DocumentText> {
  return { text: await pdfToText(buf), format: 'pdf', encoding: 'pdf' };
}

/** A legacy Word .doc or WPS .wps (OLE compound file): LibreOffice → .docx → text. */
async function readLegacyWord(buf: Uint8Array, fileName: string | null): Promise<DocumentText> {
  const ext = /\.wps$/i.test(fileName ?? '') ? 'wps' : 'doc';
  const docx = await legacyWordToDocx(buf, ext);
  return { ...(await readDocx(docx)), format: ext === 'wps' ? 'wps' : 'doc', encoding: ext };
}

/** The text of an uploaded plan document, or an AppError naming why it cannot be read. */
export async function documentToText(buf: Uint8Array, fileName: string | null = null): Promise<DocumentText> {
  if (buf.length > LIMITS.uploadBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${LIMITS.uploadBytes / 1024 / 1024} MB 上限`, {
      limitBytes: LIMITS.uploadBytes,
    });
  }
  if (buf.length === 0) throw new AppError('PLAN_FILE_EMPTY');
  if (startsWith(buf, ZIP)) return readDocx(buf);
  if (startsWith(buf, OLE)) return readLegacyWord(buf, fileName);
  if (isPdf(buf)) return readPdf(buf);
  if (looksLikeMhtml(buf)) return readMhtml(buf);
  if (looksLikeHtml(buf)) return readHtml(buf);
  return readText(buf);
}

function parseErrorToApp(err: unknown): unknown {
  if (isPlanParseError(err)) {
    if (err.code === 'EMPTY_DOCUMENT') return new AppError('PLAN_FILE_EMPTY');
    if (err.code === 'BINARY_CONTENT') return new AppError('PLAN_FILE_UNSUPPORTED', undefined, err.details);
    return new AppError('PLAN_NOT_RECOGNISED');
  }
  return err;
}

/** Parse document text; the parser's own errors become the API's error codes. */
export function parsePlanText(text: string): ParsedPlan {
  try {
    return parsePlan(text);
  } catch (err) {
    throw parseErrorToApp(err);
  }
}

/**
 * Texts longer than this are parsed in a worker thread: the parser is linear, but a 10 MB text still takes
 * seconds, which the event loop (and every other user) must not wait for. A real plan is 50–200 K characters.
 */
export const PLAN_PARSE_LIMITS = { inlineChars: 400_000, heapMb: 512, timeoutMs: 60_000 };

let sourceWorker: Promise<URL> | null = null;

/**
 * The worker: dist/plan-parse-worker.js beside the bundle; from source (tests, tsx) the same entry bundled once by
 * esbuild into a temporary file, since Node alone cannot load the workspace's TypeScript packages.
 */
function parseWorkerUrl(): Promise<URL> {
  if (!import.meta.url.endsWith('.ts'))
    return Promise.resolve(new URL('./plan-parse-worker.js', import.meta.url));
  sourceWorker ??= (async () => {
    const { build } = await import('esbuild');
    const outfile = path.join(os.tmpdir(), `kesu-plan-parse-worker-${process.pid}.mjs`);
    await build({
      entryPoints: [fileURLToPath(new URL('./plan-parse.worker.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
    });
    return pathToFileURL(outfile);
  })();
  return sourceWorker;
}

type ParseAnswer =
  | { ok: true; plan: ParsedPlan }
  | { ok: false; code: PlanParseErrorCode | 'too-complex' | 'timeout'; details?: Record<string, unknown> };

async function parseInWorker(text: string): Promise<ParseAnswer> {
  const url = await parseWorkerUrl();
  return new Promise((resolve) => {
    const worker = new Worker(url, {
      workerData: { text },
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: PLAN_PARSE_LIMITS.heapMb, maxYoungGenerationSizeMb: 32 },
    });
    let settled = false;
    const finish = (a: ParseAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Answer once the thread is gone, so no worker outlives its request.
      worker.terminate().then(
        () => resolve(a),
        () => resolve(a),
      );
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'timeout' }), PLAN_PARSE_LIMITS.timeoutMs);
    worker.once('message', (m: ParseAnswer) => finish(m));
    worker.once('error', () => finish({ ok: false, code: 'too-complex' }));
    worker.once('exit', () => finish({ ok: false, code: 'too-complex' }));
  });
}

/** Parse document text, off the event loop when it is long. */
export async function parsePlanTextAsync(text: string): Promise<ParsedPlan> {
  if (text.length <= PLAN_PARSE_LIMITS.inlineChars) return parsePlanText(text);
  const a = await parseInWorker(text);
  if (a.ok) {
    if (a.plan.tasks.length > PLAN_MAX_TASKS) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `文档有 ${a.plan.tasks.length} 个编号标题，超过 ${PLAN_MAX_TASKS} 个任务的上限`,
        {
          tasks: a.plan.tasks.length,
          limitTasks: PLAN_MAX_TASKS,
        },
      );
    }
    return a.plan;
  }
  if (a.code === 'too-complex' || a.code === 'timeout') {
    throw new AppError('PAYLOAD_TOO_LARGE', '文档内容过于庞大，超出解析的内存或时间上限，已拒绝', {
      reason: a.code,
    });
  }
  throw parseErrorToApp(new PlanParseError(a.code, undefined, a.details));
}

/** Read an uploaded file all the way to a parsed plan. */
export async function parsePlanFile(
  buf: Uint8Array,
  fileName: string | null = null,
): Promise<{ plan: ParsedPlan; doc: DocumentText }> {
  const doc = await documentToText(buf, fileName);
  return { plan: await parsePlanTextAsync(doc.text), doc };
}

/** The parser's output as an importable draft (what the preview shows and the admin corrects). */
export function toDraft(plan: ParsedPlan, fileName: string | null): PlanDraft {
  return {
    title: plan.title,
    issuer: plan.issuer,
    docNumber: plan.docNumber,
    date: plan.date,
    fileName,
    sourceText: plan.sourceText,
    tasks: plan.tasks.map((t) => ({
      path: t.path,
      label: t.label,
      kind: t.kind,
      depth: t.depth,
      title: t.title.trim() || t.label,
      units: t.unitRoles.map((u) => ({ name: u.name, role: u.role })),
      targets: t.targets.map((g) => ({ ...g })),
      spans: t.spans,
    })),
    baselines: plan.baselines.map((b) => ({
      text: b.text,
      value: b.value,
      unit: b.unit,
      year: b.year,
      path: b.path,
    })),
    warnings: plan.warnings,
  };
}
