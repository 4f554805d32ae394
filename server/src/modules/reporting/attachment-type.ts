/**
 * What an evidence file really is, judged by its bytes (magic numbers and, for Office files, the zip's entry
 * names), never by the name the client sent. Allowed: PDF without scripts or embedded files, PNG/JPEG/GIF/WebP
 * images, Office Open XML documents without macros (docx/xlsx/pptx) and legacy Office files without VBA
 * (doc/xls/ppt). Refused: executables (ELF, PE, Mach-O), scripts, archives, anything unrecognised, and a file
 * whose extension names another type than its content.
 */

import { inflateSync } from 'node:zlib';

export type Sniffed =
  | { ok: true; mime: string; ext: string; label: string }
  | { ok: false; detected: string };

const ALLOWED_EXT: Record<string, string[]> = {
  pdf: ['pdf'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg'],
  gif: ['gif'],
  webp: ['webp'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  pptx: ['pptx'],
  doc: ['doc'],
  xls: ['xls'],
  ppt: ['ppt'],
};

const TYPES: Record<string, { mime: string; label: string }> = {
  pdf: { mime: 'application/pdf', label: 'PDF 文档' },
  png: { mime: 'image/png', label: 'PNG 图片' },
  jpeg: { mime: 'image/jpeg', label: 'JPEG 图片' },
  gif: { mime: 'image/gif', label: 'GIF 图片' },
  webp: { mime: 'image/webp', label: 'WebP 图片' },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word 文档',
  },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel 表格' },
  pptx: {
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    label: 'PowerPoint 演示文稿',
  },
  doc: { mime: 'application/msword', label: 'Word 97-2003 文档' },
  xls: { mime: 'application/vnd.ms-excel', label: 'Excel 97-2003 表格' },
  ppt: { mime: 'application/vnd.ms-powerpoint', label: 'PowerPoint 97-2003 演示文稿' },
};

function startsWith(buf: Uint8Array, bytes: number[], offset = 0): boolean {
  if (buf.length < offset + bytes.length) return false;
  return bytes.every((b, i) => buf[offset + i] === b);
}

function ascii(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.subarray(start, Math.min(end, buf.length))).toString('latin1');
}

/** Names of the entries of a zip file, from its central directory; null when it is not a readable zip. */
export function zipEntryNames(buf: Buffer): string[] | null {
  const min = Math.max(0, buf.length - 65557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.subarray(p + 46, p + 46 + nameLen).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function sniffZip(buf: Buffer): { kind: string } | { detected: string } {
  const names = zipEntryNames(buf);
  if (!names) return { detected: '损坏的 zip 压缩包' };
  const has = (prefix: string) => names.some((n) => n.startsWith(prefix));
  if (!names.includes('[Content_Types].xml')) return { detected: 'zip 压缩包' };
  if (names.some((n) => /vbaProject\.bin$/i.test(n) || (/\.bin$/i.test(n) && /activeX|vba/i.test(n)))) {
    return { detected: '含宏（VBA）的 Office 文档' };
  }
  if (has('word/')) return { kind: 'docx' };
  if (has('xl/')) return { kind: 'xlsx' };
  if (has('ppt/')) return { kind: 'pptx' };
  return { detected: 'zip 压缩包' };
}

/** Text that looks like a script or markup: refused whatever its extension. */
const SCRIPT_SIGNS =
  /^\s*(<\?php|<script|<!doctype html|<html|<svg|@echo|#!|import |function |var |const |Sub |Dim |powershell|<\?xml)/i;

/** Judge `buf` (the whole uploaded file) named `fileName` by the client. */
/** A PDF name with its #xx escapes undone (`/J#61vaScript` is `/JavaScript`, PDF 1.7 §7.3.5). */
function decodePdfNames(text: string): string {
  return text.replace(/\/[^\s/[\]<>(){}%]*#[^\s/[\]<>(){}%]*/g, (name) =>
    name.replace(/#([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  );
}

const PDF_ACTIVE = /\/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)(?![A-Za-z0-9])/;
/** At most this many bytes are inflated from one PDF's compressed streams while looking for scripts. */
const PDF_INFLATE_BUDGET = 32 * 1024 * 1024;

/**
 * Whether a PDF carries actions that run code or carry other files: in its plain objects, with name escapes undone,
 * and inside its Flate-compressed streams (object streams hide dictionaries there). Inflation is capped: a PDF
 * whose streams inflate beyond the budget is 'unreadable' (refused, it cannot be checked).
 */
export function pdfActiveContent(buf: Buffer): boolean | 'unreadable' {
  const text = buf.toString('latin1');
  if (PDF_ACTIVE.test(decodePdfNames(text))) return true;
  let budget = PDF_INFLATE_BUDGET;
  const streamRe = /stream\r?\n/g;
  for (let m = streamRe.exec(text); m !== null; m = streamRe.exec(text)) {
    if (m.index >= 3 && text.slice(m.index - 3, m.index) === 'end') continue;
    const dictStart = text.lastIndexOf('<<', m.index);
    const dict = decodePdfNames(text.slice(Math.max(0, dictStart, m.index - 2048), m.index));
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    streamRe.lastIndex = end + 'endstream'.length;
    if (!/\/FlateDecode/.test(dict)) continue;
    let inflated: Buffer;
    try {
      inflated = inflateSync(buf.subarray(start, end), { maxOutputLength: Math.max(1, budget) });
    } catch (err) {
      if (err instanceof RangeError) return 'unreadable';
      continue; // a damaged stream hides nothing a reader could run
    }
    budget -= inflated.length;
    if (PDF_ACTIVE.test(decodePdfNames(inflated.toString('latin1')))) return true;
  }
  return false;
}

export function sniffAttachment(buf: Buffer, fileName: string): Sniffed {
  const ext = (fileName.split('.').pop() ?? '').toLowerCase();
  let kind: string | null = null;
  if (buf.length === 0) return { ok: false, detected: '空文件' };
  if (startsWith(buf, [0x7f, 0x45, 0x4c, 0x46])) return { ok: false, detected: 'ELF 可执行文件' };
  if (startsWith(buf, [0x4d, 0x5a])) return { ok: false, detected: 'Windows 可执行文件（PE/MZ）' };
  for (const m of [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ]) {
    if (startsWith(buf, m)) return { ok: false, detected: 'Mach-O 可执行文件' };
  }
  if (startsWith(buf, [0x23, 0x21])) return { ok: false, detected: '脚本（#!）' };
  if (startsWith(buf, [0x52, 0x61, 0x72, 0x21])) return { ok: false, detected: 'RAR 压缩包' };
  if (startsWith(buf, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { ok: false, detected: '7z 压缩包' };
  if (startsWith(buf, [0x1f, 0x8b])) return { ok: false, detected: 'gzip 压缩包' };
  if (startsWith(buf, [0x42, 0x5a, 0x68])) return { ok: false, detected: 'bzip2 压缩包' };
  if (startsWith(buf, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return { ok: false, detected: 'xz 压缩包' };

  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) {
    // PDF actions that run code or carry other files are what makes a PDF dangerous.
    const active = pdfActiveContent(buf);
    if (active === 'unreadable') return { ok: false, detected: '压缩内容过大、无法检查的 PDF' };
    if (active) return { ok: false, detected: '含脚本、启动动作或嵌入文件的 PDF' };
    kind = 'pdf';
  } else if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) kind = 'png';
  else if (startsWith(buf, [0xff, 0xd8, 0xff])) kind = 'jpeg';
  else if (ascii(buf, 0, 6) === 'GIF87a' || ascii(buf, 0, 6) === 'GIF89a') kind = 'gif';
  else if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') kind = 'webp';
  else if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buf, [0x50, 0x4b, 0x05, 0x06])) {
    const z = sniffZip(buf);
    if ('detected' in z) return { ok: false, detected: z.detected };
    kind = z.kind;
  } else if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // Legacy Office (OLE compound file): the VBA storage is named _VBA_PROJECT (UTF-16LE in the directory).
    if (buf.includes(Buffer.from('_VBA_PROJECT', 'utf16le')) || buf.includes(Buffer.from('_VBA_PROJECT'))) {
      return { ok: false, detected: '含宏（VBA）的 Office 文档' };
    }
    if (ext === 'doc' || ext === 'xls' || ext === 'ppt') kind = ext;
    else return { ok: false, detected: 'OLE 复合文档（扩展名不是 .doc/.xls/.ppt）' };
  } else {
    const head = buf.subarray(0, 512).toString('utf8');
    if (SCRIPT_SIGNS.test(head)) return { ok: false, detected: '脚本或网页' };
    return { ok: false, detected: '无法识别的文件类型' };
  }

  const t = TYPES[kind]!;
  if (!ALLOWED_EXT[kind]!.includes(ext)) {
    return { ok: false, detected: `内容是${t.label}，但扩展名为 .${ext || '（无）'}` };
  }
  return { ok: true, mime: t.mime, ext, label: t.label };
}

/** The name shown for a stored file: no folders, no control characters, at most 200 characters. */
export function displayFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (clean || '附件').slice(-200);
}
