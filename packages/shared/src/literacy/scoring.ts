import {
  type InstrumentItem,
  LITERACY_DIMENSIONS,
  type LiteracyDimension,
  type LiteracyRule,
} from './instrument';

/**
 * Pure scoring of one respondent under a rule (docs/DOMAIN.md §4). No I/O. The result carries the rule it was scored
 * with: rates are never compared across rules.
 */

/** Grades: official (advanced/literate/basic/low), legacy (literate/not_literate), self-test (pass/fail). */
export const LITERACY_GRADES = [
  'advanced',
  'literate',
  'basic',
  'low',
  'not_literate',
  'pass',
  'fail',
] as const;
export type LiteracyGrade = (typeof LITERACY_GRADES)[number];
export const LITERACY_GRADE_LABELS: Record<LiteracyGrade, string> = {
  advanced: '具备高阶科学素质',
  literate: '具备科学素质',
  basic: '基本具备科学素质',
  low: '科学素质水平较低',
  not_literate: '不具备科学素质',
  pass: '通过',
  fail: '未通过',
};

/** One respondent's answers: item id → chosen option keys (empty or absent = not answered). */
export type Answers = Readonly<Record<string, readonly string[] | undefined>>;

export interface ItemOutcome {
  itemId: string;
  isCorrect: boolean;
  isAnswered: boolean;
  /** Item points earned (0 or the item's points). */
  points: number;
}

export interface DimensionOutcome {
  correct: number;
  items: number;
  /** Item points earned / available in the dimension. */
  earned: number;
  available: number;
  /** Points of the dimension on the rule's scale (official: of its 40/20/20/20). */
  score: number;
}

export interface ScoreResult {
  rule: LiteracyRule;
  score: number;
  maxScore: number;
  grade: LiteracyGrade;
  /** The rule's binary headline: 具备科学素质 (official ≥ literate threshold; legacy all parts) or self-test pass. */
  isLiterate: boolean;
  /** Legacy rule: a veto item was answered wrongly. */
  isVetoed: boolean;
  correctCount: number;
  itemCount: number;
  dimensions: Record<LiteracyDimension, DimensionOutcome>;
  items: ItemOutcome[];
}

/** Scores are rounded to 1e-6 before grading, so 70 reached through sums of fractions grades as 70. */
function tidy(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const TRUE_WORDS = new Set(['T', '对', '是', '正确', '√', '✓', 'Y', 'YES', 'TRUE', '1']);
const FALSE_WORDS = new Set(['F', '错', '否', '错误', '×', '✗', 'N', 'NO', 'FALSE', '0']);

/**
 * Read an answer as written in a response file: "A", "ACD", "A;C", "a c"; true/false items also accept
 * 对/错, 是/否, √/×, 1/0, T/F. Returns option keys, sorted and unique; [] for blank.
 */
export function parseAnswer(
  item: Pick<InstrumentItem, 'kind' | 'options'>,
  raw: string | null | undefined,
): string[] {
  const text = (raw ?? '').trim();
  if (text === '' || text.toUpperCase() === 'NA') return [];
  const keys = item.options.map((o) => o.key);
  const isTrueFalse = keys.length === 2 && keys.includes('T') && keys.includes('F');
  if (isTrueFalse) {
    const up = text.toUpperCase();
    if (TRUE_WORDS.has(up)) return ['T'];
    if (FALSE_WORDS.has(up)) return ['F'];
  }
  const letters = text.toUpperCase().replace(/[\s,;，；、|/]+/g, '');
  return [...new Set(letters.split(''))].sort();
}

function isCorrect(item: InstrumentItem, answer: readonly string[] | undefined): boolean {
  if (!answer || answer.length === 0) return false;
  const given = [...new Set(answer)].sort();
  const key = [...item.key].sort();
  return given.length === key.length && given.every((k, i) => k === key[i]);
}

function emptyDimensions(): Record<LiteracyDimension, DimensionOutcome> {
  const out = {} as Record<LiteracyDimension, DimensionOutcome>;
  for (const d of LITERACY_DIMENSIONS) out[d] = { correct: 0, items: 0, earned: 0, available: 0, score: 0 };
  return out;
}

/**
 * Score one respondent on `items` under `rule`.
 * - official-2021: dimension score = earned/available × dimensionPoints; total graded ≥advanced/≥literate/≥basic
 *   (inclusive), else low; literate = total ≥ thresholds.literate.
 * - legacy-2010: literate when each of knowledge, method, spirit reaches partMinShare of its points and (if
 *   vetoEnabled) no veto item is answered wrongly; score = % of all item points.
 * - benchmark-2016: score = correct items × pointsPerItem; pass = score ≥ passScore. `items` are the drawn ones.
 * Multiple-choice items count only when exactly the keyed options are chosen.
 */
export function scoreResponse(
  rule: LiteracyRule,
  items: readonly InstrumentItem[],
  answers: Answers,
): ScoreResult {
  const dimensions = emptyDimensions();
  const outcomes: ItemOutcome[] = [];
  let correctCount = 0;
  let isVetoed = false;
  for (const item of items) {
    const answer = answers[item.id];
    const isAnswered = !!answer && answer.length > 0;
    const ok = isCorrect(item, answer);
    const d = dimensions[item.dimension];
    d.items++;
    d.available += item.points;
    if (ok) {
      d.correct++;
      d.earned += item.points;
      correctCount++;
    } else if (item.kind === 'veto' && isAnswered) isVetoed = true;
    outcomes.push({ itemId: item.id, isCorrect: ok, isAnswered, points: ok ? item.points : 0 });
  }

  let score: number;
  let maxScore: number;
  let grade: LiteracyGrade;
  let isLiterate: boolean;
  if (rule.kind === 'official-2021') {
    score = 0;
    maxScore = 0;
    for (const key of LITERACY_DIMENSIONS) {
      const d = dimensions[key];
      const share = rule.dimensionPoints[key];
      d.score = d.available > 0 ? tidy((d.earned / d.available) * share) : 0;
      score += d.score;
      maxScore += share;
    }
    score = tidy(score);
    const t = rule.thresholds;
    grade =
      score >= t.advanced
        ? 'advanced'
        : score >= t.literate
          ? 'literate'
          : score >= t.basic
            ? 'basic'
            : 'low';
    isLiterate = score >= t.literate;
    isVetoed = false;
  } else if (rule.kind === 'legacy-2010') {
    let earned = 0;
    let available = 0;
    for (const key of LITERACY_DIMENSIONS) {
      const d = dimensions[key];
      d.score = d.available > 0 ? tidy((d.earned / d.available) * 100) : 0;
      earned += d.earned;
      available += d.available;
    }
    score = available > 0 ? tidy((earned / available) * 100) : 0;
    maxScore = 100;
    const partsPass = (['knowledge', 'method', 'spirit'] as const).every((key) => {
      const d = dimensions[key];
      return d.available > 0 && tidy(d.earned / d.available) >= rule.partMinShare[key];
    });
    if (!rule.vetoEnabled) isVetoed = false;
    isLiterate = partsPass && !isVetoed;
    grade = isLiterate ? 'literate' : 'not_literate';
  } else {
    for (const key of LITERACY_DIMENSIONS)
      dimensions[key].score = tidy(dimensions[key].correct * rule.pointsPerItem);
    score = tidy(correctCount * rule.pointsPerItem);
    maxScore = tidy(items.length * rule.pointsPerItem);
    isLiterate = score >= rule.passScore;
    grade = isLiterate ? 'pass' : 'fail';
    isVetoed = false;
  }
  return {
    rule,
    score,
    maxScore,
    grade,
    isLiterate,
    isVetoed,
    correctCount,
    itemCount: items.length,
    dimensions,
    items: outcomes,
  };
}

export interface ScoreSummary {
  respondents: number;
  /** Unweighted share with isLiterate (a count, never a survey estimate). */
  literateShare: number;
  meanScore: number;
  grades: Partial<Record<LiteracyGrade, number>>;
}

/** Unweighted counts over scored respondents; survey rates come from the design-based estimator instead. */
export function summarizeScores(results: readonly ScoreResult[]): ScoreSummary {
  const grades: Partial<Record<LiteracyGrade, number>> = {};
  let literate = 0;
  let total = 0;
  for (const r of results) {
    grades[r.grade] = (grades[r.grade] ?? 0) + 1;
    if (r.isLiterate) literate++;
    total += r.score;
  }
  const n = results.length;
  return {
    respondents: n,
    literateShare: n ? literate / n : 0,
    meanScore: n ? tidy(total / n) : 0,
    grades,
  };
}
