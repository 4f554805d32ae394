import { CHINESE_NUMERAL_CHARS, parseChineseNumber } from './chinese-number';
import type { Comparator, Span, Target } from './schema';

/** A target found in a paragraph, with the span of its clause in the normalized text. */
export interface FoundTarget {
  target: Target;
  span: Span;
}

/** A historical figure found in a paragraph. */
export interface FoundBaseline {
  text: string;
  value: number;
  unit: string;
  year: number;
  span: Span;
}

/** A sentence with a figure that was taken neither as a target nor as a baseline (for the admin to check). */
export interface FoundSentence {
  text: string;
  span: Span;
}

/** What the caller knows about the paragraph being scanned. */
export interface FigureContext {
  /** Year the plan was issued; years before it are history. Null when unknown. */
  docYear: number | null;
  /** Ranges (absolute offsets) that are responsibility blocks: skipped and treated as sentence breaks. */
  blocked: ReadonlyArray<Span>;
  /** Deadline inherited from the heading ("2025年主要目标") or the paragraph start ("2025年目标:"). */
  initialDeadline: string | null;
}

// Measure words, longest first so "场次" wins over "场".
const UNITS = [
  '个百分点',
  '百分点',
  '平方公里',
  '平方米',
  '人次',
  '场次',
  '户次',
  '课时',
  '学时',
  '小时',
  '公里',
  '万亩',
  '亩',
  '元',
  '个',
  '所',
  '人',
  '名',
  '家',
  '场',
  '次',
  '项',
  '支',
  '座',
  '处',
  '期',
  '篇',
  '部',
  '件',
  '种',
  '套',
  '台',
  '辆',
  '间',
  '本',
  '册',
  '门',
  '户',
  '位',
  '条',
  '块',
  '队',
  '节',
  '天',
  '吨',
];
const UNIT_ALT = UNITS.join('|');
/** Characters after a measure word that make it part of another word ("人才", "个人", "项目"). */
const BLOCKERS: Record<string, RegExp> = {
  人: /^[才员群民口士类工们生格物力文身居事均性选]/,
  个: /^[人体性别案]/,
  名: /^[单称牌片录校师义额]/,
  家: /^[庭长园乡属]/,
  部: /^[门署分]/,
  次: /^[数要]/,
  期: /^[间末限望刊]/,
  门: /^[类户槛]/,
  支: /^[持撑付出]/,
  处: /^[理置]/,
  台: /^[账]/,
  本: /^[地级土]/,
  间: /^[隔]/,
  节: /^[日约能]/,
  天: /^[然文气]/,
  条: /^[件例]/,
  位: /^[置]/,
  项: /^[目]/,
  场: /^[馆所地景]/,
  种: /^[植子类业]/,
  所: /^[有属在以]/,
  套: /^[餐]/,
  户: /^[籍外口]/,
  元: /^[素旦宵]/,
};
const CN = CHINESE_NUMERAL_CHARS;
const ARABIC_RE = new RegExp(
  `(?<![\\d.A-Za-z])(?<!\\d,)(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)\\s*(亿|千万|百万|万|千)?(余|多)?(${UNIT_ALT}|%|‰)`,
  'g',
);
/** The lower end and the dash of a range, just before its upper end: "10—", "3至", "1.5~". */
const RANGE_BEFORE = /(?<![\d.])(\d+(?:\.\d+)?)\s*(?:[—–\-~～]{1,2}|至|到)\s*$/;
const CHINESE_RE = new RegExp(`(?<![${CN}])([${CN}]+)(余|多)?(${UNIT_ALT})`, 'g');
const PERCENT_WORD_RE = /百分之([\d.]+|[零〇一二两三四五六七八九十百]+)/g;
const YEAR_RE = /(\d{4})\s*年(度)?(?:(\d{1,2})月份?)?(年底|底|末|以前|之前|前)?/g;
const PLAN_END_RE = /十([一二三四五六七八九])五["”]?(?:规划)?(?:时期|期间|期末|末)/g;
const MULTIPLIERS: Record<string, number> = { 亿: 1e8, 千万: 1e7, 百万: 1e6, 万: 1e4, 千: 1e3 };
const TARGET_VERBS =
  /(?:建成|建设|创建|新建|培训|培育|培养|举办|开展|组织|评定|评选|命名|认定|打造|成立|聘请|组建|新增|达到|突破|超过|不少于|不低于|至少|扶持|遴选|招募|建立|设立|推出|创作|出版|制作|开发|覆盖|引进|选树|表彰|增加|完成|举行|推广|孵化|争创|创成|建好|办好|配备|发展)/;
const PERIOD_RE =
  /每年度?|年均|全年|每一年|(?<!\d)年度|\/年|(?<![\d今明去当上下本前后近历多数每全])年(?:接待|培训|举办|服务|开展|参与|覆盖|新增|受益|组织)/;
const PRESENT_FACT = /现有|已有|已建成|已建|累计建成|现已|已达|共有|已累计|目前已/;
const OPEN_TO_CLOSE: Record<string, string> = {
  '(': ')',
  '[': ']',
  '【': '】',
  '《': '》',
  '〔': '〕',
  '“': '”',
  '‘': '’',
  '「': '」',
  '『': '』',
  '〈': '〉',
};
const MAX_MASKED = 200;

/** Marks characters inside brackets and quotes (programme names, document titles, decoys like "(10.56%)"). */
function computeMask(text: string, base: number, blocked: ReadonlyArray<Span>): Uint8Array {
  const diff = new Int32Array(text.length + 1);
  const stack: Array<{ close: string; at: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const close = OPEN_TO_CLOSE[ch];
    if (ch === '"') {
      const top = stack[stack.length - 1];
      if (top && top.close === '"') {
        stack.pop();
        if (i - top.at <= MAX_MASKED) {
          diff[top.at]! += 1;
          diff[i + 1]! -= 1;
        }
      } else stack.push({ close: '"', at: i });
      continue;
    }
    if (close !== undefined) {
      stack.push({ close, at: i });
      continue;
    }
    for (let k = stack.length - 1; k >= Math.max(0, stack.length - 4); k--) {
      const entry = stack[k]!;
      if (entry.close !== ch) continue;
      stack.length = k;
      if (i - entry.at <= MAX_MASKED) {
        diff[entry.at]! += 1;
        diff[i + 1]! -= 1;
      }
      break;
    }
  }
  for (const b of blocked) {
    const s = Math.max(0, b.start - base);
    const e = Math.min(text.length, b.end - base);
    if (s < e) {
      diff[s]! += 1;
      diff[e]! -= 1;
    }
  }
  const mask = new Uint8Array(text.length);
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    level += diff[i]!;
    mask[i] = level > 0 ? 1 : 0;
  }
  return mask;
}

interface Clause {
  start: number;
  end: number;
  /** The clause ends at ";" (period "每年" stops carrying) */
  semicolonAfter: boolean;
}

/** Splits a paragraph into sentences of clauses; separators inside brackets/quotes do not count. */
function splitSentences(text: string, mask: Uint8Array, blockedLocal: ReadonlyArray<Span>): Clause[][] {
  const sentences: Clause[][] = [];
  let clauses: Clause[] = [];
  let clauseStart = 0;
  let blockIdx = 0;
  const endClause = (end: number, semicolon: boolean): void => {
    if (end > clauseStart) clauses.push({ start: clauseStart, end, semicolonAfter: semicolon });
  };
  const endSentence = (): void => {
    if (clauses.length > 0) sentences.push(clauses);
    clauses = [];
  };
  for (let i = 0; i < text.length; i++) {
    const block = blockedLocal[blockIdx];
    if (block && i >= block.start) {
      endClause(i, false);
      endSentence();
      i = Math.max(i, block.end - 1);
      clauseStart = i + 1;
      blockIdx++;
      continue;
    }
    if (mask[i]) continue;
    const ch = text.charAt(i);
    if (ch === '。' || ch === '!' || ch === '?' || ch === '…') {
      endClause(i, false);
      endSentence();
      clauseStart = i + 1;
    } else if (ch === ';') {
      endClause(i, true);
      clauseStart = i + 1;
    } else if (ch === '、' || ch === ',' || ch === ':') {
      const prev = text.charAt(i - 1);
      // "1,000" and "10:30" are numbers, not separators.
      if (ch === ',' && /\d/.test(prev) && /^\d{3}(?!\d)/.test(text.slice(i + 1, i + 5))) continue;
      if (ch === ':' && /\d/.test(prev) && /\d/.test(text.charAt(i + 1))) continue;
      endClause(i, false);
      clauseStart = i + 1;
    }
  }
  endClause(text.length, false);
  endSentence();
  return sentences;
}

interface YearRef {
  start: number;
  end: number;
  year: number;
  future: boolean;
  deadline: string;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Year mentions in a clause, classified as history or deadline. `start`/`end` are paragraph offsets. */
function findYearRefs(
  text: string,
  from: number,
  to: number,
  mask: Uint8Array,
  docYear: number | null,
): YearRef[] {
  const refs: YearRef[] = [];
  const clause = text.slice(from, to);
  YEAR_RE.lastIndex = 0;
  for (let m = YEAR_RE.exec(clause); m; m = YEAR_RE.exec(clause)) {
    const at = from + m.index;
    if (mask[at]) continue;
    const year = Number(m[1]);
    if (year < 1949 || year > 2100) continue;
    const before = text.slice(Math.max(0, at - 8), at);
    if (/\d{4}\s*年?\s*[-—–~至到]\s*$/.test(before)) continue; // end of a range "2021-2035年"
    if (/(?:比|较|与|同|相比)\s*$/.test(before)) continue; // reference year of a comparison
    const after = text.slice(at + m[0].length, at + m[0].length + 3);
    const suffix = m[4] ?? '';
    let future: boolean;
    if (docYear !== null) future = year >= docYear;
    else {
      const toPrefix = /(?:到|至)\s*$/.test(before) && !/截[至止]\s*$/.test(before);
      future = !after.startsWith('的') && (toPrefix || suffix !== '' || /^(?:远景)?目标/.test(after));
    }
    const month = m[3] ? Number(m[3]) : null;
    const deadline =
      month !== null && month >= 1 && month <= 12
        ? `${year}-${String(month).padStart(2, '0')}-${String(lastDayOfMonth(year, month)).padStart(2, '0')}`
        : `${year}-12-31`;
    refs.push({ start: at, end: at + m[0].length, year, future, deadline });
  }
  PLAN_END_RE.lastIndex = 0;
  for (let m = PLAN_END_RE.exec(clause); m; m = PLAN_END_RE.exec(clause)) {
    const n = 10 + (parseChineseNumber(m[1] ?? '') ?? 0);
    const year = 1955 + 5 * n; // 十四五 ends 2025, 十五五 2030
    const at = from + m.index;
    refs.push({ start: at, end: at + m[0].length, year, future: true, deadline: `${year}-12-31` });
  }
  return refs.sort((a, b) => a.start - b.start);
}

interface NumberHit {
  start: number;
  end: number;
  value: number;
  unit: string;
  comparator: Comparator | null;
  chinese: boolean;
}

function roundValue(v: number): number {
  return Number(v.toPrecision(12));
}

/** Numbers with a measure word in [from, to) of the masked paragraph text. */
function findNumbers(masked: string, from: number, to: number): NumberHit[] {
  const clause = masked.slice(from, to);
  const hits: NumberHit[] = [];
  const afterUnitOk = (unit: string, endLocal: number): boolean => {
    const blocker = BLOCKERS[unit];
    return !blocker?.test(clause.slice(endLocal, endLocal + 2));
  };
  ARABIC_RE.lastIndex = 0;
  for (let m = ARABIC_RE.exec(clause); m; m = ARABIC_RE.exec(clause)) {
    const unit = m[4] ?? '';
    const endLocal = m.index + m[0].length;
    if (clause.charAt(m.index - 1) === '第' || !afterUnitOk(unit, endLocal)) continue;
    const mult = MULTIPLIERS[m[2] ?? ''] ?? 1;
    // A range "10—15个", "3至5场": the target is its lower end, reached or passed (>=).
    const range = RANGE_BEFORE.exec(clause.slice(Math.max(0, m.index - 12), m.index));
    const low = range ? Number(range[1]) : null;
    const value = roundValue((low ?? Number((m[1] ?? '').replace(/,/g, ''))) * mult);
    if (!Number.isFinite(value)) continue;
    hits.push({
      start: from + m.index - (range ? range[0].length : 0),
      end: from + endLocal,
      value,
      unit: unit === '‰' ? '‰' : unit,
      comparator: m[3] || range ? '>=' : null,
      chinese: false,
    });
  }
  PERCENT_WORD_RE.lastIndex = 0;
  for (let m = PERCENT_WORD_RE.exec(clause); m; m = PERCENT_WORD_RE.exec(clause)) {
    const raw = m[1] ?? '';
    const value = /\d/.test(raw) ? Number(raw) : parseChineseNumber(raw);
    if (value === null || !Number.isFinite(value)) continue;
    hits.push({
      start: from + m.index,
      end: from + m.index + m[0].length,
      value,
      unit: '%',
      comparator: null,
      chinese: !/\d/.test(raw),
    });
  }
  CHINESE_RE.lastIndex = 0;
  for (let m = CHINESE_RE.exec(clause); m; m = CHINESE_RE.exec(clause)) {
    const run = m[1] ?? '';
    const unit = m[3] ?? '';
    const endLocal = m.index + m[0].length;
    if (!/^[一二两三四五六七八九十]/.test(run)) continue; // "百万技能人才", "千人计划"
    if (clause.charAt(m.index - 1) === '第' || clause.charAt(m.index - 1) === '之') continue;
    const next = clause.charAt(endLocal);
    if (!afterUnitOk(unit, endLocal) || (next !== '' && CN.includes(next))) continue; // "三个一百"
    const value = parseChineseNumber(run);
    if (value === null || value === 0) continue;
    hits.push({
      start: from + m.index,
      end: from + endLocal,
      value,
      unit,
      comparator: m[2] ? '>=' : null,
      chinese: true,
    });
  }
  hits.sort((a, b) => a.start - b.start);
  const out: NumberHit[] = [];
  for (const h of hits) {
    const last = out[out.length - 1];
    if (last && h.start < last.end) continue;
    out.push(h);
  }
  return out;
}

/** Comparator from the words around a number: "不少于15所", "约20场次", "80%以上", "5%以内". */
function comparatorAround(
  masked: string,
  hit: NumberHit,
  clauseStart: number,
  clauseEnd: number,
): Comparator {
  const after = masked.slice(hit.end, Math.min(clauseEnd, hit.end + 3));
  if (/^(?:及|或)?以上/.test(after)) return '>=';
  if (/^(?:及|或)?(?:以下|以内|之内)/.test(after)) return '<=';
  if (/^(?:左右|上下)/.test(after)) return '≈';
  if (hit.comparator) return hit.comparator;
  const before = masked.slice(Math.max(clauseStart, hit.start - 6), hit.start);
  if (/(?:不少于|不低于|不小于|至少)[^,;:、□\d]{0,3}$/.test(before)) return '>=';
  if (/(?:不超过|不高于|不多于|不大于)$/.test(before)) return '<=';
  if (/(?:至少|超过|多于|高于|大于|超|逾|突破)$/.test(before)) return '>=';
  if (/(?:控制在|低于|少于)$/.test(before)) return '<=';
  if (/(?:约|大约|近|接近|将近)$/.test(before)) return '≈';
  return '=';
}

/**
 * Finds the targets and baselines stated in one paragraph of a node's body. A sentence ("。") is the scope of a
 * deadline ("到2025年底,…创建15所…、50所…" — every later clause of the sentence carries it); "每年/年均" carries
 * to later clauses up to the next ";". A figure tied to a past year ("2020年达到11.7%") is a baseline; other
 * figures in a sentence about the past are ignored. Figures inside brackets or quotes (programme names, decoys)
 * are never read. A run of years then "分别" gives each following figure its own year ("2023年、2024年分别达到
 * 60%、75%"); a range "10—15个" is its lower end with ">=". `untaken` lists the sentences with a figure that gave
 * neither. `base` is the paragraph's offset in the normalized text.
 */
export function extractFigures(
  paragraph: string,
  base: number,
  ctx: FigureContext,
): { targets: FoundTarget[]; baselines: FoundBaseline[]; untaken: FoundSentence[] } {
  const targets: FoundTarget[] = [];
  const baselines: FoundBaseline[] = [];
  const untaken: FoundSentence[] = [];
  if (!/[\d零〇一二两三四五六七八九十]/.test(paragraph)) return { targets, baselines, untaken };
  const blockedLocal = ctx.blocked
    .filter((b) => b.end > base && b.start < base + paragraph.length)
    .map((b) => ({ start: Math.max(0, b.start - base), end: Math.min(paragraph.length, b.end - base) }));
  const mask = computeMask(paragraph, base, ctx.blocked);
  let masked = paragraph;
  if (mask.includes(1)) {
    const chars = paragraph.split('');
    for (let i = 0; i < chars.length; i++) if (mask[i]) chars[i] = '□';
    masked = chars.join('');
  }
  let paragraphDeadline = ctx.initialDeadline;
  const lead = /^(?:到|至)?\s*\d{4}\s*年(?:底|末)?(?:(?:远景|发展|主要|总体)?目标|[,:])/.exec(paragraph);
  if (lead) {
    const refs = findYearRefs(paragraph, 0, lead[0].length, mask, ctx.docYear);
    const ref = refs.find((r) => r.future);
    if (ref) paragraphDeadline = ref.deadline;
  }

  for (const sentence of splitSentences(paragraph, mask, blockedLocal)) {
    const yearRefs = sentence.map((c) => findYearRefs(paragraph, c.start, c.end, mask, ctx.docYear));
    const periodFlags = sentence.map(
      (c) => PERIOD_RE.test(masked.slice(c.start, c.end)) || isYearlyLead(masked, c),
    );
    const clauseHits = sentence.map((c) => findNumbers(masked, c.start, c.end));
    const sequence = yearSequence(masked, yearRefs.flat(), clauseHits.flat());
    const hasPast = yearRefs.some((refs) => refs.some((r) => !r.future));
    // A sentence about the past ("2020年达到11.7%,高于全国1.14个百分点") states no targets, even in a
    // paragraph that opened with a deadline.
    const hasFuture =
      yearRefs.some((refs) => refs.some((r) => r.future)) || (!hasPast && paragraphDeadline !== null);
    const historical = hasPast && !hasFuture && !periodFlags.some(Boolean);
    let deadline = paragraphDeadline;
    let period = false;
    let present = false;
    let taken = 0;
    let skipped = 0;
    sentence.forEach((clause, ci) => {
      const refs = yearRefs[ci] ?? [];
      if (periodFlags[ci]) period = true;
      // "累计培训1万人次": a cumulative figure, whatever "每年" said before.
      const cumulative = /累计/.test(masked.slice(clause.start, clause.end));
      const hits = clauseHits[ci] ?? [];
      const { start: textStart, end: textEnd } = trimRange(paragraph, clause.start, clause.end);
      const text = paragraph.slice(textStart, textEnd);
      const span = { start: base + textStart, end: base + textEnd };
      // "现有基地21家,科普e站136个": a current fact goes on through the sentence until a deadline is named.
      if (PRESENT_FACT.test(masked.slice(clause.start, clause.end))) present = true;
      else if (refs.some((r) => r.future)) present = false;
      let prevHitEnd = -1;
      for (const hit of hits) {
        const inSequence = sequence?.deadlines.get(hit.start);
        if (sequence && inSequence !== undefined) {
          taken++;
          targets.push({
            target: {
              text: paragraph.slice(sequence.start, sequence.end),
              value: hit.value,
              unit: hit.unit,
              comparator: comparatorAround(masked, hit, clause.start, clause.end),
              period: null,
              deadline: inSequence,
            },
            span: { start: base + sequence.start, end: base + sequence.end },
          });
          continue;
        }
        // A year anchors the first figure after it only: "由2020年的11.7%提高到15.5%" — 15.5 is not of 2020.
        let anchor: YearRef | undefined;
        for (const r of refs) if (r.end <= hit.start) anchor = r;
        if (anchor && prevHitEnd > anchor.end) anchor = undefined;
        prevHitEnd = hit.end;
        if (anchor && !anchor.future) {
          taken++;
          baselines.push({ text, value: hit.value, unit: hit.unit, year: anchor.year, span });
          continue;
        }
        if (historical || present) {
          if (!historical) skipped++; // history is the baselines' business; a current fact is worth a look
          continue;
        }
        const hitDeadline = anchor ? anchor.deadline : deadline;
        // A Chinese numeral outside a target context ("三个方面") is wording, not a figure to check.
        if (hit.chinese && !chineseHitAllowed(masked, clause.start, hit, hitDeadline !== null || period))
          continue;
        taken++;
        targets.push({
          target: {
            text,
            value: hit.value,
            unit: hit.unit,
            comparator: comparatorAround(masked, hit, clause.start, clause.end),
            period: period && !cumulative ? 'year' : null,
            deadline: hitDeadline,
          },
          span,
        });
      }
      for (const r of refs) if (r.future) deadline = r.deadline;
      if (clause.semicolonAfter) {
        period = false;
        present = false;
      }
    });
    const first = sentence[0];
    const last = sentence[sentence.length - 1];
    if (!first || !last) continue;
    // A sentence with a figure that gave nothing ("现有基地120家", "科普经费增长50") is for the admin to check.
    if (skipped > 0 || (taken === 0 && hasBareNumber(masked.slice(first.start, last.end)))) {
      const { start, end } = trimRange(paragraph, first.start, last.end);
      untaken.push({ text: paragraph.slice(start, end), span: { start: base + start, end: base + end } });
    }
  }
  return { targets, baselines, untaken };
}

/** A number in a sentence that is not a year, a date, a document number or an ordinal ("第3批"). */
function hasBareNumber(masked: string): boolean {
  return /(?<![\d.第A-Za-z])\d+(?:\.\d+)?(?![\d.]|\s*(?:年|月|日|号|时|届|批|期|轮|版|次会议|[A-Za-z]))/.test(
    masked,
  );
}

/**
 * "2023年、2024年、2025年分别达到60%、75%、90%": a run of two or more future years, then "分别", then as many
 * figures — each figure gets its year as deadline. Returns the deadlines by figure start and the span of the whole
 * statement (paragraph offsets), or null when the sentence has no such run.
 */
function yearSequence(
  masked: string,
  refs: readonly YearRef[],
  hits: readonly NumberHit[],
): { deadlines: Map<number, string>; start: number; end: number } | null {
  for (let i = 0; i < refs.length; i++) {
    let j = i;
    while (j + 1 < refs.length && /^[、,和及与]?$/.test(masked.slice(refs[j]!.end, refs[j + 1]!.start))) j++;
    const run = refs.slice(i, j + 1);
    if (run.length < 2 || run.some((r) => !r.future)) continue;
    const after = run[run.length - 1]!.end;
    const at = masked.indexOf('分别', after);
    if (at < 0 || at - after > 30) continue;
    const figures = hits.filter((h) => h.start > at).slice(0, run.length);
    if (figures.length < run.length) continue;
    const deadlines = new Map<number, string>();
    figures.forEach((h, k) => {
      deadlines.set(h.start, run[k]!.deadline);
    });
    return { deadlines, start: run[0]!.start, end: figures[figures.length - 1]!.end };
  }
  return null;
}

/** "年科普活动覆盖面达到…": a clause opening with a bare "年" states an annual figure. */
function isYearlyLead(masked: string, clause: Clause): boolean {
  const { start } = trimRange(masked, clause.start, clause.end);
  return masked.charAt(start) === '年' && !/^年[内份底末前初中]/.test(masked.slice(start, start + 2));
}

/** A number written in Chinese counts only in a target context: "到2025年建成三个", "每年举办两次", "建成三个". */
function chineseHitAllowed(
  masked: string,
  clauseStart: number,
  hit: NumberHit,
  inTargetContext: boolean,
): boolean {
  const before = masked.slice(clauseStart, hit.start);
  if (hit.value === 1)
    return /(?:建成|建设|创建|新建|举办|开展|组建|打造|成立|建立|设立|每年)(?:约|近)?$/.test(before);
  return inTargetContext || TARGET_VERBS.test(before);
}

/** Shrinks [start, end) past surrounding whitespace. */
function trimRange(text: string, start: number, end: number): { start: number; end: number } {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text.charAt(s))) s++;
  while (e > s && /\s/.test(text.charAt(e - 1))) e--;
  return { start: s, end: e };
}

/**
 * The figure of a table cell of a 年度目标分解表: "30", "≥30", "不少于30家", "15%", "1.2万", "10以上". `unit` is the
 * table's unit for the row (from a 单位 column or "(家)" in the indicator name), used when the cell has none.
 * Null when the cell holds no figure.
 */
export function readTableValue(
  cell: string,
  unit: string,
): { value: number; unit: string; comparator: Comparator } | null {
  const m = new RegExp(
    `^(≥|>=|≤|<=|不少于|不低于|不超过|约)?(\\d+(?:\\.\\d+)?)(亿|千万|百万|万|千)?(${UNIT_ALT}|%|‰)?(以上|以下|以内|左右)?$`,
  ).exec(cell.replace(/\s+/g, ''));
  if (!m) return null;
  // A unit column "万人" / "万元": the multiplier belongs to the value.
  const scaled = /^(亿|千万|百万|万|千)(.+)$/.exec(m[4] ? '' : unit);
  const value = roundValue(
    Number(m[2]) * (MULTIPLIERS[m[3] ?? ''] ?? 1) * (MULTIPLIERS[scaled?.[1] ?? ''] ?? 1),
  );
  const rowUnit = scaled ? (scaled[2] ?? unit) : unit;
  const words = `${m[1] ?? ''}${m[5] ?? ''}`;
  const comparator: Comparator = /≥|>=|不少于|不低于|以上/.test(words)
    ? '>='
    : /≤|<=|不超过|以下|以内/.test(words)
      ? '<='
      : /约|左右/.test(words)
        ? '≈'
        : '=';
  return { value, unit: m[4] || rowUnit.replace(/^[%％]$/, '%'), comparator };
}
