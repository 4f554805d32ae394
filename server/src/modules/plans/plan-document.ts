import { isPlanParseError, type ParsedPlan, parsePlan } from '@kesu/plan-parser';
import { LIMITS, type PlanDraft } from '@kesu/shared';
import iconv from 'iconv-lite';
import mammoth from 'mammoth';
import { AppError } from '../../errors';

/**
 * File → text → parsed plan. The parser stays pure (text in, plan out); everything about bytes lives here:
 * the size limit, .docx, and the encoding of plain text (UTF-8, UTF-16 with a BOM, else GB18030 — a superset of
 * GBK and GB2312, which is what Chinese Windows saves "ANSI" text as).
 */

export interface DocumentText {
  text: string;
  format: 'text' | 'docx';
  /** 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030'; 'docx' for Word documents. */
  encoding: string;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];

function startsWith(buf: Uint8Array, magic: number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

function unsupported(detected: string, hint?: string): AppError {
  const base = '不支持的文件：请上传 UTF-8 或 GBK 编码的文本（.txt）或 Word 文档（.docx）';
  return new AppError('PLAN_FILE_UNSUPPORTED', hint ? `${base}。${hint}` : base, { detected });
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
function decodeText(buf: Uint8Array): DocumentText {
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

/** The text of an uploaded plan document, or an AppError naming why it cannot be read. */
export async function documentToText(buf: Uint8Array): Promise<DocumentText> {
  if (buf.length > LIMITS.uploadBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${LIMITS.uploadBytes / 1024 / 1024} MB 上限`, {
      limitBytes: LIMITS.uploadBytes,
    });
  }
  if (buf.length === 0) throw new AppError('PLAN_FILE_EMPTY');
  if (startsWith(buf, ZIP)) {
    let text: string;
    try {
      text = (await mammoth.extractRawText({ buffer: Buffer.from(buf) })).value;
    } catch {
      throw unsupported('zip', '该压缩文件不是有效的 Word（.docx）文档');
    }
    return { text, format: 'docx', encoding: 'docx' };
  }
  if (startsWith(buf, OLE)) throw unsupported('doc', '旧版 Word（.doc）请先另存为 .docx');
  if (startsWith(buf, PDF)) throw unsupported('pdf', 'PDF 请先复制正文另存为 .txt');
  return decodeText(buf);
}

/** Parse document text; the parser's own errors become the API's error codes. */
export function parsePlanText(text: string): ParsedPlan {
  try {
    return parsePlan(text);
  } catch (err) {
    if (isPlanParseError(err)) {
      if (err.code === 'EMPTY_DOCUMENT') throw new AppError('PLAN_FILE_EMPTY');
      if (err.code === 'BINARY_CONTENT') throw new AppError('PLAN_FILE_UNSUPPORTED', undefined, err.details);
      throw new AppError('PLAN_NOT_RECOGNISED');
    }
    throw err;
  }
}

/** Read an uploaded file all the way to a parsed plan. */
export async function parsePlanFile(buf: Uint8Array): Promise<{ plan: ParsedPlan; doc: DocumentText }> {
  const doc = await documentToText(buf);
  return { plan: parsePlanText(doc.text), doc };
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
