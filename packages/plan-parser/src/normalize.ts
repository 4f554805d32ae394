import { matchHeading } from './headings';
import { splitRunOnHeadings } from './run-on';
import { isTableRow, TABLE_CELL_SEPARATOR } from './table';

/** Full-width forms that map one-to-one onto ASCII without changing meaning (digits, letters, punctuation). */
const SAFE_FULLWIDTH =
  /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF05\uFF08\uFF09\uFF1A\uFF1B\uFF0C\uFF0E\uFF01\uFF1F\uFF0B\uFF0D\uFF0F\uFF1C\uFF1D\uFF1E\uFF3B\uFF3D\uFF3F\uFF5E\uFF03\uFF06\uFF0A\uFF20]/g;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const SPACES = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const ASCII_WORD = /[A-Za-z0-9]/;
/** Guillemets some PDF fonts and converters produce instead of book-title marks. */
const GUILLEMETS: Record<string, string> = { '«': '《', '»': '》', '‹': '〈', '›': '〉' };
/** A page number printed between dashes inside a line of PDF text: "基地— 12 —30家", "培训 -3- 人". */
const INLINE_PAGE_NUMBER =
  /(?<![\d\-—–])\s*[—–]{1,2}\s*\d{1,4}\s*[—–]{1,2}\s*(?![\d\-—–])|(?<=^|\s)-\s?\d{1,4}\s?-(?=\s|$)/g;

const FOOTER_PATTERNS: readonly RegExp[] = [
  /^[-—–─_~·•*]*\d{1,4}[-—–─_~·•*]*$/, // "— 3 —", "- 3 -", "3"
  /^第\d{1,4}页(?:[,/]?共\d{1,4}页)?$/, // "第 3 页", "第3页 共10页"
  /^共\d{1,4}页[,/]?第\d{1,4}页$/,
  /^\d{1,4}\/\d{1,4}$/, // "3/10"
  /^page\d{1,4}(?:of\d{1,4})?$/i,
];

/** A line that is only a page footer or header number. Expects a line without spaces. */
function isFooter(line: string): boolean {
  if (line.length > 16) return false;
  return FOOTER_PATTERNS.some((re) => re.test(line));
}

/** Removes layout spaces: keeps one space only between two ASCII letters/digits ("Page 3", "STEM 2"). */
function squeezeSpaces(line: string): string {
  return line.replace(SPACES, (m: string, offset: number, whole: string) => {
    const prev = whole.charAt(offset - 1);
    const next = whole.charAt(offset + m.length);
    return prev && next && ASCII_WORD.test(prev) && ASCII_WORD.test(next) ? ' ' : '';
  });
}

const TERMINAL_END = /(?:[。!?;:…)\]】》]|[。!?]["”’」』])$/;
const BODY_PUNCT = /[,、。;]/;
const ANY_PUNCT = /[。,;:!?、]/;
const TITLE_LIKE_END = /(?:通知|方案|规划|计划|意见|纲要|办法|文件|要点|决定)$/;
const UNIT_LABEL_START = /^[【[(]?(?:主要)?(?:责任|牵头|配合|协办|参与|主责)(?:单位|部门)[:]/;

const SIGNATURE_OR_DATE =
  /(?:政府|办公室|委员会|人民政府)$|^[\d〇零一二三四五六七八九十]{2,4}年[\d一二三四五六七八九十]{1,2}月/;
const LIST_CONTINUES = /[、,;:]$/;

/** True when `next` continues the heading `prev` whose title has no "。" (a title split over two lines). */
function continuesHeadingTitle(prev: string, next: string, wrapped: boolean): boolean {
  if (SIGNATURE_OR_DATE.test(next)) return false;
  // A heading line as long as a full printed line was wrapped by the layout: "二、总体要求(一)指导思想以习近平…".
  if (wrapped) return true;
  // Only a long first line wraps: "(一)实施青少年科学素质" + "提升行动", never "(一)指导思想" + its body.
  if (prev.length >= 8 && next.length <= 20 && !ANY_PUNCT.test(next)) return true;
  // A long heading wrapped just before its "。" and run-on text: "…和科技成" + "果转化。推动…".
  const stop = next.indexOf('。');
  return (prev.length >= 15 || wrapped) && stop > 0 && stop <= 10 && !ANY_PUNCT.test(next.slice(0, stop));
}

/** Unit names end like this ("…局", "…委", "各乡镇人民政府"): the rest of a unit list wrapped onto the next line. */
const UNIT_LIST_TAIL = /(?:局|委|办|会|部|院|府|台|社|联|处|中心|团|协|站|馆|队|街道|镇|乡|公司|等)$/;

/**
 * Decides whether `next` continues the paragraph `prev` (a line or page break inside a sentence). `lastLine` is
 * the last line of `prev` as printed; `fullLine` the length of a full printed line of this document (lines of a
 * PDF or a narrow column are that long when the layout, not the author, broke them).
 */
function shouldJoin(prev: string, next: string, lastLine: string, fullLine: number): boolean {
  if (isTableRow(prev) || isTableRow(next)) return false;
  if (matchHeading(next) || UNIT_LABEL_START.test(next)) return false;
  if (TERMINAL_END.test(prev)) return false;
  const wrapped = lastLine.length >= fullLine - 1;
  // A bare "牵头单位:X;配合单位:Y" line ends its paragraph unless the list visibly goes on.
  if (UNIT_LABEL_START.test(prev) && !/^[【[(]/.test(prev)) {
    return (
      LIST_CONTINUES.test(prev) ||
      /^[:、,;]/.test(next) ||
      /(?:单位|部门)$/.test(prev) ||
      (wrapped && !/[。;!?]/.test(next) && UNIT_LIST_TAIL.test(next))
    );
  }
  const heading = matchHeading(prev);
  if (heading && prev.indexOf('。', heading.markerLength) < 0)
    return continuesHeadingTitle(prev, next, wrapped);
  return BODY_PUNCT.test(prev) || ((prev.length >= 28 || wrapped) && !TITLE_LIKE_END.test(prev));
}

/**
 * The length of a full printed line when most lines of the document have it (text extracted from a PDF, or typed
 * with hard line breaks); 28 when there is no such common length (paragraphs typed as one line each).
 */
function fullLineLength(lines: readonly string[]): number {
  const counts = new Map<number, number>();
  let long = 0;
  for (const l of lines) {
    if (l.length < 10 || isTableRow(l)) continue;
    long++;
    counts.set(l.length, (counts.get(l.length) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [length, n] of counts) {
    // Lines one character shorter or longer count too (a closing mark hangs, a half-width digit pair).
    const around = n + (counts.get(length - 1) ?? 0) + (counts.get(length + 1) ?? 0);
    if (around > bestCount || (around === bestCount && length > best)) {
      best = length;
      bestCount = around;
    }
  }
  return long >= 10 && bestCount >= long * 0.3 ? best : 1000;
}

/**
 * A table row as a line of text: cells separated by tabs (copied from a browser or Word, or written by the file
 * readers) or by "｜"/"|" — at least three cells. Returns the cells (trimmed, layout spaces removed), or null.
 */
function tableCells(raw: string, inTable: boolean): string[] | null {
  const sep = raw.includes('\t') ? '\t' : raw.includes('｜') ? '｜' : raw.includes('|') ? '|' : null;
  if (sep === null) return null;
  const cells = raw.split(sep).map((c) => squeezeSpaces(c).trim());
  const filled = cells.filter((c) => c !== '').length;
  if (filled === 0) return null;
  // Inside a table a row may have one filled cell ("(一)青少年行动" spanning the table, tabs after it).
  if (inTable) return cells.length >= 3 ? cells : null;
  while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  while (cells.length > 0 && cells[0] === '') cells.shift();
  return cells.length >= 3 && filled >= 2 ? cells : null;
}

/**
 * A short line between two rows of one table is a row too: a group row spanning the table ("(一)青少年行动"), which
 * text from a PDF gives without the empty cells. Rewritten in place as a row with the table's column count.
 */
function fillTableGaps(lines: string[]): void {
  for (let i = 1; i + 1 < lines.length; i++) {
    const line = lines[i] ?? '';
    const before = lines[i - 1] ?? '';
    if (!isTableRow(before) || isTableRow(line) || !isTableRow(lines[i + 1] ?? '')) continue;
    if (line.length > 40 || /[。;]/.test(line)) continue;
    const columns = before.split(TABLE_CELL_SEPARATOR).length;
    lines[i] = line + TABLE_CELL_SEPARATOR.repeat(Math.max(2, columns - 1));
  }
}

/** Key of a line for finding running headers: digits do not count ("第3页" and "第4页" are the same line). */
function runningKey(line: string): string {
  return line.replace(/\d+/g, '#');
}

/**
 * Short lines repeated on many pages (a running header such as the plan title, or "某某县人民政府 第 3 页"):
 * at least three times, at most 40 characters, no sentence punctuation, not a heading or unit line.
 */
function findRunningLines(lines: readonly string[]): Set<string> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (line.length < 4 || line.length > 40 || /[。,;:!?]/.test(line) || matchHeading(line)) continue;
    // "(市科协负责)" under several tasks is a unit block, not a header.
    if (UNIT_LABEL_START.test(line) || isTableRow(line) || /^[(【〔[]|牵头|负责|责任|配合/.test(line))
      continue;
    const key = runningKey(line);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const out = new Set<string>();
  for (const [key, n] of counts) if (n >= 3) out.add(key);
  return out;
}

/**
 * Normalizes a plan document into paragraphs: safe full-width forms become ASCII ("１２" → "12", "（" → "(",
 * "，" → ","; Chinese "。、“”《》〔〕" stay; « » become 《 》), layout spaces between Chinese characters are removed,
 * page footers ("— 3 —", "- 3 -", "第 3 页", also inside a line) and running headers (a short line repeated on
 * three or more pages) are dropped, and lines broken inside a sentence (including across a page break) or inside a
 * heading title are joined. Table rows (cells separated by tabs, or "｜") become one paragraph each, cells joined
 * by "｜". Headings that run on inside a paragraph (text pasted from a web page: "…。(二)加强…", "…行动1.深化…")
 * start paragraphs of their own. Returns the non-empty paragraphs in order.
 */
export function normalizeParagraphs(input: string): string[] {
  const text = input
    .replace(ZERO_WIDTH, '')
    .replace(SAFE_FULLWIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[«»‹›]/g, (ch) => GUILLEMETS[ch] ?? ch);
  const lines: string[] = [];
  let inTable = false;
  for (const raw of text.split(/\r\n|[\r\n\f\v\u2028\u2029\u0085]/)) {
    const cells = tableCells(raw, inTable);
    inTable = cells !== null;
    if (cells) {
      lines.push(cells.join(TABLE_CELL_SEPARATOR));
      continue;
    }
    const line = squeezeSpaces(raw.replace(INLINE_PAGE_NUMBER, '')).trim();
    if (line === '' || isFooter(line)) continue;
    lines.push(line);
  }
  fillTableGaps(lines);
  const running = findRunningLines(lines);
  const fullLine = fullLineLength(lines);
  const firstHeading = lines.findIndex((l) => matchHeading(l) !== null);
  const paragraphs: string[] = [];
  let current: string[] = [];
  let currentText = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // A running header is dropped on the pages of the body; above the first heading it may be the title itself.
    if (running.size > 0 && i > firstHeading && firstHeading >= 0 && running.has(runningKey(line))) continue;
    if (current.length > 0 && shouldJoin(currentText, line, current[current.length - 1] ?? '', fullLine)) {
      current.push(line);
      // Only the paragraph's tail and head matter to shouldJoin; keep the check cheap for huge paragraphs.
      currentText = currentText.length > 200 ? currentText.slice(0, 100) + line : currentText + line;
      continue;
    }
    if (current.length > 0) paragraphs.push(current.join(''));
    current = [line];
    currentText = line;
  }
  if (current.length > 0) paragraphs.push(current.join(''));
  return splitRunOnHeadings(paragraphs);
}

/**
 * The normalized text of a plan document (see `normalizeParagraphs`), paragraphs separated by "\n". This is the
 * `sourceText` that `parsePlan` returns and that all its spans point into.
 */
export function normalizeText(input: string): string {
  return normalizeParagraphs(input).join('\n');
}
