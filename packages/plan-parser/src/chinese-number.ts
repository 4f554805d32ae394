const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Characters that may appear in a Chinese numeral (for building scanners). */
export const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万亿';

/** Value of a numeral below 万 ("三千零五" → 3005); null when malformed. An empty string is 0. */
function parseSection(s: string): number | null {
  let value = 0;
  let digit: number | null = null;
  let lastUnit = Number.POSITIVE_INFINITY;
  let first = true;
  for (const ch of s) {
    const d = DIGITS[ch];
    if (d !== undefined) {
      if (digit !== null) return null; // two digits in a row ("十四五")
      if (d !== 0) digit = d;
      first = false;
      continue;
    }
    const unit = SMALL_UNITS[ch];
    if (unit === undefined || unit >= lastUnit) return null;
    if (digit === null && !first) return null; // "一百十" is not written; "十" alone may lead
    value += (digit ?? 1) * unit;
    digit = null;
    lastUnit = unit;
    first = false;
  }
  return value + (digit ?? 0);
}

/** Value of a numeral below 亿, with an optional 万 section. */
function parseBelowYi(s: string): number | null {
  const at = s.indexOf('万');
  if (at < 0) return parseSection(s);
  if (at === 0 || s.indexOf('万', at + 1) >= 0) return null;
  const high = parseSection(s.slice(0, at));
  const low = parseSection(s.slice(at + 1));
  if (high === null || low === null || high === 0) return null;
  return high * 1e4 + low;
}

/**
 * Parses a Chinese numeral written in words: "三" → 3, "十五" → 15, "两千" → 2000, "一万二千" → 12000,
 * "一百零五" → 105, "百万" → 1000000, and digit-by-digit years "二〇二二" → 2022. Returns null for anything that
 * is not a well-formed numeral, including programme-name fragments such as "十四五" (two digits without a unit
 * between them), so callers can use it as a validity test.
 */
export function parseChineseNumber(text: string): number | null {
  const s = text.trim();
  if (s.length === 0) return null;
  const chars = [...s];
  // Digit-by-digit form is only read for years ("二〇二二", "二零二五"); "四五" is not 45.
  if (chars.length >= 2 && chars.every((ch) => ch in DIGITS) && (chars.length === 4 || /[〇零]/.test(s))) {
    if (s.includes('两')) return null;
    return Number(chars.map((ch) => DIGITS[ch]).join(''));
  }
  const at = s.indexOf('亿');
  if (at < 0) return parseBelowYi(s);
  if (at === 0 || s.indexOf('亿', at + 1) >= 0) return null;
  const high = parseBelowYi(s.slice(0, at));
  const low = parseBelowYi(s.slice(at + 1));
  if (high === null || low === null || high === 0) return null;
  return high * 1e8 + low;
}

/**
 * Parses an ordinal as written in a heading label: Arabic digits ("12"), full-width digits, circled numbers
 * ("③") or Chinese numerals ("十二"). Returns null when the label is not a number.
 */
export function parseOrdinal(label: string): number | null {
  const s = label.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const code = s.length === 1 ? s.charCodeAt(0) : 0;
  if (code >= 0x2460 && code <= 0x2473) return code - 0x2460 + 1; // ①..⑳
  return parseChineseNumber(s);
}
