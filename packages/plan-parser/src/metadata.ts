import { parseChineseNumber } from './chinese-number';

/** The document's identity: title, issuing authority, document number and issue (印发) date. */
export interface PlanMetadata {
  title: string | null;
  issuer: string | null;
  docNumber: string | null;
  date: string | null;
}

const PLAN_TITLE_END = /(?:方案|规划|计划|意见|纲要|办法|要点|措施|细则|规定|行动)(?:\([^)]{1,20}\))?$/;
const DOC_NUMBER_RE = /([\u4e00-\u9fa5]{1,12})\s*[〔[【(]\s*(\d{4})\s*[〕\]】)]\s*(\d{1,4})\s*号/;
const DATE_RE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const CN_DATE_RE =
  /([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日/;

function isoDate(y: number, m: number, d: number): string | null {
  // Only days that exist (a typo such as 2月30日 is no date, not 3月2日) in the years an API date may take.
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  if (y < 2000 || y > 2100 || d < 1 || d > days) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A date in Arabic ("2022年5月13日") or Chinese numerals ("二〇二二年五月十三日"), as "YYYY-MM-DD". */
function parseDate(text: string): string | null {
  const a = DATE_RE.exec(text);
  if (a) return isoDate(Number(a[1]), Number(a[2]), Number(a[3]));
  const c = CN_DATE_RE.exec(text);
  if (c) {
    const y = parseChineseNumber(c[1] ?? '');
    const m = parseChineseNumber(c[2] ?? '');
    const d = parseChineseNumber(c[3] ?? '');
    if (y !== null && m !== null && d !== null) return isoDate(y, m, d);
  }
  return null;
}

/** A paragraph that is only a date (signature date or "…印发"). */
function isDateLine(p: string): boolean {
  return (
    p.length <= 24 &&
    parseDate(p) !== null &&
    /^[\d〇零一二三四五六七八九十年月日\s]+(?:印发|发布|印)?$/.test(p)
  );
}

/** Title announced by the covering notice: "关于印发X的通知" or "现将《X》印发". */
function noticeTitle(header: readonly string[]): string | null {
  for (const p of header) {
    const m = /关于印发(.+?)的通知/.exec(p) ?? /《([^》]{4,60})》[^。]{0,6}印发/.exec(p);
    if (m?.[1]) return m[1].replace(/^《|》$/g, '');
  }
  return null;
}

function findTitle(header: readonly string[]): string | null {
  const announced = noticeTitle(header);
  for (let i = header.length - 1; i >= 0; i--) {
    const p = header[i] ?? '';
    if (p.length > 60 || !PLAN_TITLE_END.test(p) || /通知|文件$|[。,;:]/.test(p)) continue;
    const prev = header[i - 1] ?? '';
    if (announced !== null && prev + p === announced) return announced;
    // A title wrapped before its years: "某某区全民科学素质行动规划" + "(2023—2025年)".
    const years = header[i + 1] ?? '';
    if (/^\(\d{4}\s*[—–-]{1,2}\s*\d{4}年?\)$/.test(years)) return p + years;
    if (p.length <= 8 && prev.length > 0 && prev.length <= 40 && !/[。,;:()]|文件$|号$/.test(prev))
      return prev + p;
    return p;
  }
  return announced ?? header.find((p) => p.length <= 60 && !/[。,;:]/.test(p) && !/文件$/.test(p)) ?? null;
}

function findIssuer(header: readonly string[], tail: readonly string[]): string | null {
  for (const p of header) {
    const m = /^(.{2,40}?)\s*文件$/.exec(p);
    if (m?.[1]) return m[1];
  }
  // Signature just above a plain date line (not the "…印发" line of the printing office).
  for (let i = tail.length - 1; i > 0; i--) {
    const p = tail[i] ?? '';
    if (isDateLine(p) && !/印发|印$/.test(p)) {
      const sig = tail[i - 1] ?? '';
      if (sig.length <= 40 && /(?:政府|委员会|办公室|委|局|厅|协会|科协|会)$/.test(sig)) return sig;
    }
  }
  for (const p of header) {
    const m = /^(.{2,30}?)关于印发/.exec(p);
    if (m?.[1]) return m[1];
  }
  // The covering notice signed above its date, before the plan itself (a web page often starts there).
  for (let i = 1; i < header.length; i++) {
    const sig = header[i - 1] ?? '';
    if (isDateLine(header[i] ?? '') && sig.length <= 40 && /(?:政府|委员会|办公室|科协)$/.test(sig))
      return sig;
  }
  return null;
}

function findDocNumber(header: readonly string[]): string | null {
  let fallback: string | null = null;
  for (const p of header) {
    const m = DOC_NUMBER_RE.exec(p);
    if (!m) continue;
    const formatted = `${m[1]}〔${m[2]}〕${m[3]}号`;
    if (m.index === 0 && m[0].length >= p.length - 1) return formatted;
    const before = p.charAt(m.index - 1);
    if (fallback === null && before !== '(' && before !== '《') fallback = formatted;
  }
  return fallback;
}

function findDate(all: readonly string[]): string | null {
  for (let i = all.length - 1; i >= 0; i--) {
    const p = all[i] ?? '';
    if (/印发$/.test(p) && p.length <= 30) {
      const d = parseDate(p);
      if (d) return d;
    }
  }
  for (let i = all.length - 1; i >= 0; i--) {
    const p = all[i] ?? '';
    if (isDateLine(p)) return parseDate(p);
  }
  return null;
}

/**
 * Reads the document's identity from its normalized paragraphs: `header` is everything before the first numbered
 * heading, `tail` the paragraphs from the end (signature, 抄送, 印发 line). Title: the standalone plan title line
 * (joined when split over two lines), else the one the covering notice announces. Issuer: the "XX文件" masthead,
 * else the signature above the date. Date: the "…印发" date, else the last standalone date.
 */
export function extractMetadata(header: readonly string[], tail: readonly string[]): PlanMetadata {
  return {
    title: findTitle(header),
    issuer: findIssuer(header, tail),
    docNumber: findDocNumber(header),
    date: findDate(tail) ?? findDate(header),
  };
}
