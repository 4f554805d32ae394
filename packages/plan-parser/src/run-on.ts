import { parseOrdinal } from './chinese-number';
import { matchHeading } from './headings';
import { isTableRow } from './table';

/** Heading markers that may start inside a paragraph, by rank (see headings.ts); (1) and ① never do. */
const MARKERS: ReadonlyArray<{ rank: number; re: RegExp }> = [
  { rank: -1, re: /第([一二三四五六七八九十]{1,3})(?:章|部分)/y },
  { rank: 0, re: /第([一二三四五六七八九十]{1,3})节/y },
  { rank: 1, re: /([一二三四五六七八九十]{1,3})、(?![一二三四五六七八九十\d])/y },
  { rank: 2, re: /\(([一二三四五六七八九十]{1,3})\)/y },
  { rank: 3, re: /(\d{1,2})[.、](?![\d.、])(?=[\u4e00-\u9fa5“"《])/y },
];
/** Characters that end a sentence or a bracket: a heading may start right after one. */
const BOUNDARY = /[。;!?)】〕”"]/;
const OPEN = '(《“"【〔[';
const CLOSE = ')》”"】〕]';

/** Ordinals seen so far per rank, to accept only a marker that continues the numbering. */
class Numbering {
  private readonly last = new Map<number, number>();
  /** Ranks whose numbering may restart at 1 (a higher heading came since their last one). */
  private readonly restart = new Set<number>([-1, 0, 1, 2, 3]);

  note(rank: number, ordinal: number): void {
    this.last.set(rank, ordinal);
    this.restart.delete(rank);
    for (const r of [-1, 0, 1, 2, 3]) if (r > rank) this.restart.add(r);
  }

  accepts(rank: number, ordinal: number): boolean {
    const last = this.last.get(rank);
    if (last !== undefined && ordinal === last + 1) return true;
    return ordinal === 1 && this.restart.has(rank);
  }
}

/**
 * Where the next run-on heading starts in `p` (after `from`), or -1. A marker counts only outside brackets and
 * quotes, right after a sentence end — or right after the title of the paragraph's own heading when that title has
 * no punctuation ("(一)实施青少年科学素质提升行动1.深化学校科学教育。") — and only when it continues the
 * document's numbering (so "一、二、三等奖" and "第1.5条" stay text).
 */
function nextRunOn(
  p: string,
  from: number,
  ownRank: number | null,
  titleFrom: number,
  numbering: Numbering,
): number {
  let depth = 0;
  for (let i = from; i < p.length; i++) {
    const ch = p.charAt(i);
    if (depth === 0 && i > 0) {
      const prev = p.charAt(i - 1);
      const afterTitle =
        ownRank !== null &&
        i - titleFrom >= 2 &&
        i - titleFrom <= 30 &&
        !/[。,;:!?、]/.test(p.slice(titleFrom, i));
      if (BOUNDARY.test(prev) || afterTitle) {
        for (const { rank, re } of MARKERS) {
          if (afterTitle && !BOUNDARY.test(prev) && (ownRank === null || rank <= ownRank)) continue;
          re.lastIndex = i;
          const m = re.exec(p);
          if (!m || m.index !== i) continue;
          if (rank === 3 && /[\d.第]/.test(prev)) continue;
          const ordinal = parseOrdinal(m[1] ?? '');
          if (ordinal === null || !numbering.accepts(rank, ordinal)) continue;
          if (i + m[0].length >= p.length) continue;
          return i;
        }
      }
    }
    if (OPEN.includes(ch) && !(ch === '"' && depth > 0)) depth++;
    else if (CLOSE.includes(ch) && depth > 0) depth--;
  }
  return -1;
}

/**
 * Splits paragraphs in which numbered headings run on after text — a web page's text pasted as one line per part:
 * "二、重点任务(一)实施青少年科学素质提升行动1.深化学校科学教育。……2.推进……" becomes one paragraph per heading.
 * Subtask markers ("(1)", "①") and "一是……二是……" inside a paragraph are enumerations, never split.
 */
export function splitRunOnHeadings(paragraphs: readonly string[]): string[] {
  const numbering = new Numbering();
  const out: string[] = [];
  for (const paragraph of paragraphs) {
    if (isTableRow(paragraph)) {
      out.push(paragraph);
      continue;
    }
    let rest = paragraph;
    for (;;) {
      const heading = matchHeading(rest);
      if (heading && heading.rank <= 3) numbering.note(heading.rank, heading.ordinal);
      const from = heading ? heading.markerLength + 1 : 1;
      const cut = nextRunOn(rest, from, heading?.rank ?? null, heading?.markerLength ?? 0, numbering);
      if (cut <= 0) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
  }
  return out;
}
