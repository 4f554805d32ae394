import { parseOrdinal } from './chinese-number';
import type { HeadingKind } from './schema';

/** A numbered heading recognised at the start of a paragraph. */
export interface HeadingMatch {
  kind: HeadingKind;
  /** -1 = 第一章/第一部分, 0 = 第一节, 1 = 一、 … 5 = ①; a smaller rank is a higher level. */
  rank: number;
  /** The number as printed, e.g. "三、", "(一)", "1.". */
  label: string;
  /** The printed number as an integer (三 → 3). */
  ordinal: number;
  /** Characters of the label plus the spaces after it; the title starts here. */
  markerLength: number;
}

const PATTERNS: ReadonlyArray<{ kind: HeadingKind; rank: number; re: RegExp }> = [
  { kind: 'chapter', rank: -1, re: /^第([一二三四五六七八九十百零〇两]{1,4})(?:章|部分)\s*/ },
  { kind: 'section', rank: 0, re: /^第([一二三四五六七八九十百零〇两]{1,4})节(?![课。,;])\s*/ },
  { kind: 'part', rank: 1, re: /^([一二三四五六七八九十百零〇两]{1,4})\s*[、.](?![\d、])\s*/ },
  { kind: 'group', rank: 2, re: /^\(\s*([一二三四五六七八九十百零〇两]{1,4})\s*\)\s*/ },
  { kind: 'task', rank: 3, re: /^(\d{1,3})\s*[.、](?![\d.])\s*/ },
  { kind: 'subtask', rank: 4, re: /^\(\s*(\d{1,3})\s*\)\s*/ },
  { kind: 'item', rank: 5, re: /^([\u2460-\u2473])\s*/ },
];

/**
 * Recognises a numbered heading at the start of a normalized paragraph: "第一章"/"第一部分" chapter, "第一节"
 * section, "一、" part, "(一)" group, "1." or "1、" task, "(1)" subtask, "①" item. Returns null when the paragraph does not start with one, or when nothing
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

/** Words a plan's section title ends with ("发展基础", "指导思想", "主要目标", "保障措施" …). */
const TITLE_END_WORD =
  /(?:基础|形势|背景|现状|要求|思想|原则|目标|任务|措施|保障|实施|机制|领导|行动|工程|建设|体系|能力|意义|问题|机遇|挑战|重点|安排|步骤|分工|考核|评估|督查|宣传|投入|队伍|环境|氛围|合作|服务|作用|方向|路径|布局|定位)/g;
/** How the text after a section title starts when the title runs straight into it. */
const BODY_START =
  /^(?:[“"《(\d]|以来|以|坚持|到20|至20|在|全市|全县|全区|全省|我市|我县|我区|各|为|按照|围绕|根据|聚焦|紧扣|近年来|自|党的|当前|十[三四五]五)/;

/**
 * Where the title of a heading ends when it runs straight into its text without punctuation — a web page pasted
 * as one line per part: "一、发展基础“十三五”以来,全市…", "(二)基本原则坚持…". Only when the text up to the first
 * "。" is not a plausible title (it has a comma or is long): then the title ends after the first title word
 * followed by how a sentence starts. 0 when there is no such place.
 */
function runInTitleEnd(paragraph: string, start: number): number {
  const period = paragraph.indexOf('。', start);
  const sentence = paragraph.slice(start, period < 0 ? Math.min(paragraph.length, start + 60) : period);
  if (!/[,;“"]/.test(sentence) && sentence.length <= 40) return 0;
  const re = new RegExp(TITLE_END_WORD.source, 'g');
  for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
    const end = m.index + m[0].length;
    if (end < 4 || end > 24) continue;
    if (/[,;:、。“"]/.test(sentence.slice(0, m.index))) return 0;
    if (BODY_START.test(sentence.slice(end))) return start + end;
  }
  return 0;
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
  const runIn = runInTitleEnd(paragraph, start);
  if (runIn > 0) return { title: paragraph.slice(start, runIn), titleEnd: runIn, bodyStart: runIn };
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
