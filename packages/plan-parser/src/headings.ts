import { parseOrdinal } from './chinese-number';
import type { HeadingKind } from './schema';

/** A numbered heading recognised at the start of a paragraph. */
export interface HeadingMatch {
  kind: HeadingKind;
  /** 1 = 一、 … 5 = ①; a smaller rank is a higher level. */
  rank: number;
  /** The number as printed, e.g. "三、", "(一)", "1.". */
  label: string;
  /** The printed number as an integer (三 → 3). */
  ordinal: number;
  /** Characters of the label plus the spaces after it; the title starts here. */
  markerLength: number;
}

const PATTERNS: ReadonlyArray<{ kind: HeadingKind; rank: number; re: RegExp }> = [
  { kind: 'part', rank: 1, re: /^([一二三四五六七八九十百零〇两]{1,4})\s*[、.](?![\d、])\s*/ },
  { kind: 'group', rank: 2, re: /^\(\s*([一二三四五六七八九十百零〇两]{1,4})\s*\)\s*/ },
  { kind: 'task', rank: 3, re: /^(\d{1,3})\s*[.、](?![\d.])\s*/ },
  { kind: 'subtask', rank: 4, re: /^\(\s*(\d{1,3})\s*\)\s*/ },
  { kind: 'item', rank: 5, re: /^([\u2460-\u2473])\s*/ },
];

/**
 * Recognises a numbered heading at the start of a normalized paragraph: "一、" part, "(一)" group, "1." or "1、"
 * task, "(1)" subtask, "①" item. Returns null when the paragraph does not start with one, or when nothing
 * follows the number (a bare "1." is not a heading).
 */
export function matchHeading(paragraph: string): HeadingMatch | null {
  const first = paragraph.charCodeAt(0);
  // Fast reject: headings start with a digit, "(", a Chinese numeral or a circled number.
  if (!((first >= 0x30 && first <= 0x39) || first === 0x28 || first >= 0x2460)) return null;
  for (const { kind, rank, re } of PATTERNS) {
    const m = re.exec(paragraph);
    if (!m) continue;
    const digits = m[1] ?? '';
    const ordinal = parseOrdinal(digits);
    if (ordinal === null || ordinal <= 0) return null;
    const markerLength = m[0].length;
    if (markerLength >= paragraph.length) return null;
    return { kind, rank, label: m[0].trim(), ordinal, markerLength };
  }
  return null;
}

/**
 * Splits a heading paragraph into its title and the text that runs on after it ("1.加强科学教育。到2025年…"):
 * the title ends at the first "。" (or a ":" followed by text); without one the whole rest is the title. Offsets are relative to the
 * paragraph. The title has no trailing punctuation.
 */
export function splitHeadingTitle(
  paragraph: string,
  heading: HeadingMatch,
): { title: string; titleEnd: number; bodyStart: number } {
  const start = heading.markerLength;
  const period = paragraph.indexOf('。', start);
  // "(三)主要目标:到2025年,…" — a colon also ends the title when text follows it.
  const colon = paragraph.indexOf(':', start);
  const stop =
    colon > start && colon < paragraph.length - 1 && (period < 0 || colon < period) ? colon : period;
  const rawEnd = stop < 0 ? paragraph.length : stop;
  let end = rawEnd;
  while (end > start && /[\s。:;,.、]/.test(paragraph.charAt(end - 1))) end--;
  const bodyStart = stop < 0 ? paragraph.length : stop + 1;
  return { title: paragraph.slice(start, end), titleEnd: end, bodyStart };
}
