import { describe, expect, it } from 'vitest';
import {
  BENCHMARK_RULE_DEFAULT,
  type InstrumentItem,
  InstrumentInputSchema,
  instrumentProblems,
  LEGACY_RULE_DEFAULT,
  type LiteracyDimension,
  OFFICIAL_RULE_DEFAULT,
} from './instrument';
import { type Answers, parseAnswer, scoreResponse, summarizeScores } from './scoring';

let seq = 0;
/** A true/false item whose key is T. */
function buildItem(overrides: Partial<InstrumentItem> = {}): InstrumentItem {
  seq += 1;
  return {
    id: `I${seq}`,
    dimension: 'knowledge',
    kind: 'true_false',
    stem: `题目 ${seq}`,
    options: [
      { key: 'T', text: '对' },
      { key: 'F', text: '错' },
    ],
    key: ['T'],
    points: 1,
    benchmarks: [((seq - 1) % 26) + 1],
    explanation: '解析',
    ...overrides,
  };
}

/** n items of one point in each dimension. */
function instrument(counts: Record<LiteracyDimension, number>): InstrumentItem[] {
  return (Object.entries(counts) as [LiteracyDimension, number][]).flatMap(([dimension, n]) =>
    Array.from({ length: n }, () => buildItem({ dimension })),
  );
}

/** Right answers for the given items, wrong for the others. */
function answering(items: readonly InstrumentItem[], right: readonly InstrumentItem[]): Answers {
  const ok = new Set(right.map((i) => i.id));
  return Object.fromEntries(items.map((i) => [i.id, ok.has(i.id) ? i.key : ['F']]));
}

describe('official rule (100 points, 40/20/20/20, grades ≥85 / ≥70 / ≥55 inclusive)', () => {
  // 40 + 20 + 20 + 20 one-point items: every right answer is worth exactly one point on the 100 scale.
  const items = instrument({ knowledge: 40, method: 20, spirit: 20, application: 20 });
  const scoreWith = (k: number) =>
    scoreResponse(OFFICIAL_RULE_DEFAULT, items, answering(items, items.slice(0, k)));

  it.each([
    [100, 'advanced', true],
    [85, 'advanced', true],
    [84, 'literate', true],
    [70, 'literate', true],
    [69, 'basic', false],
    [55, 'basic', false],
    [54, 'low', false],
    [0, 'low', false],
  ] as const)('%i points → %s', (k, grade, literate) => {
    const r = scoreWith(k);
    expect(r.score).toBe(k);
    expect(r.maxScore).toBe(100);
    expect(r.grade).toBe(grade);
    expect(r.isLiterate).toBe(literate);
    expect(r.rule).toBe(OFFICIAL_RULE_DEFAULT);
  });

  it('scales each dimension to its share whatever the item points', () => {
    // 2 knowledge items of 3 and 1 points: the 3-point one alone is 3/4 of 40 = 30.
    const k1 = buildItem({ points: 3 });
    const k2 = buildItem({ points: 1 });
    const m = buildItem({ dimension: 'method' });
    const s = buildItem({ dimension: 'spirit' });
    const a = buildItem({ dimension: 'application', points: 7 });
    const all = [k1, k2, m, s, a];
    const r = scoreResponse(OFFICIAL_RULE_DEFAULT, all, answering(all, [k1, m, a]));
    expect(r.dimensions.knowledge.score).toBe(30);
    expect(r.dimensions.method.score).toBe(20);
    expect(r.dimensions.spirit.score).toBe(0);
    expect(r.score).toBe(70);
    expect(r.grade).toBe('literate');
  });

  it('grades 70 reached through decimal item points as 70, not 69.99999999999999', () => {
    // Unrounded: 1.3/1.6 × 40 + 0.7/0.8 × 20 + 0 + 20 = 69.99999999999999 in floating point.
    const [k1, k2, k3] = [0.3, 0.7, 0.6].map((points) => buildItem({ points }));
    const [m1, m2, m3] = [0.1, 0.1, 0.6].map((points) => buildItem({ dimension: 'method', points }));
    const s1 = buildItem({ dimension: 'spirit' });
    const a1 = buildItem({ dimension: 'application' });
    const all = [k1!, k2!, k3!, m1!, m2!, m3!, s1, a1];
    const r = scoreResponse(OFFICIAL_RULE_DEFAULT, all, answering(all, [k2!, k3!, m1!, m3!, a1]));
    expect(r.score).toBe(70);
    expect(r.isLiterate).toBe(true);
  });

  it('thresholds are configurable and stored with the result', () => {
    const rule = { ...OFFICIAL_RULE_DEFAULT, thresholds: { advanced: 90, literate: 60, basic: 40 } };
    const r = scoreResponse(rule, items, answering(items, items.slice(0, 60)));
    expect(r.grade).toBe('literate');
    expect(r.rule).toEqual(rule);
  });

  it('a wrong veto item does not veto under the official rule', () => {
    const veto = buildItem({ kind: 'veto', dimension: 'spirit', key: ['F'], points: 0 });
    const all = [...items, veto];
    const r = scoreResponse(OFFICIAL_RULE_DEFAULT, all, { ...answering(all, items), [veto.id]: ['T'] });
    expect(r.score).toBe(100);
    expect(r.isVetoed).toBe(false);
    expect(r.isLiterate).toBe(true);
  });
});

describe('legacy all-parts rule', () => {
  const rule = { ...LEGACY_RULE_DEFAULT, partMinShare: { knowledge: 0.6, method: 0.5, spirit: 0.5 } };
  const k = instrument({ knowledge: 10, method: 0, spirit: 0, application: 0 });
  const m = instrument({ knowledge: 0, method: 4, spirit: 0, application: 0 });
  const s = instrument({ knowledge: 0, method: 0, spirit: 4, application: 0 });
  const a = instrument({ knowledge: 0, method: 0, spirit: 0, application: 2 });
  const veto = buildItem({ kind: 'veto', dimension: 'spirit', key: ['F'], points: 0 });
  const items = [...k, ...m, ...s, ...a, veto];
  const right = (nk: number, nm: number, ns: number) => [
    ...k.slice(0, nk),
    ...m.slice(0, nm),
    ...s.slice(0, ns),
    veto,
  ];

  it('is literate when every part reaches its threshold (inclusive)', () => {
    const r = scoreResponse(rule, items, answering(items, right(6, 2, 2)));
    expect(r.isLiterate).toBe(true);
    expect(r.grade).toBe('literate');
    // 10 of 20 item points.
    expect(r.score).toBe(50);
  });

  it.each([
    ['knowledge', 5, 2, 2],
    ['method', 10, 1, 4],
    ['spirit', 10, 4, 1],
  ] as const)('fails when %s is below its threshold, whatever the rest', (_part, nk, nm, ns) => {
    const r = scoreResponse(rule, items, answering(items, right(nk, nm, ns)));
    expect(r.isLiterate).toBe(false);
    expect(r.grade).toBe('not_literate');
  });

  it('a wrong veto item vetoes even a perfect respondent; an unanswered one does not', () => {
    const all = answering(items, [...items]);
    const wrong = scoreResponse(rule, items, { ...all, [veto.id]: ['T'] });
    expect(wrong.isVetoed).toBe(true);
    expect(wrong.isLiterate).toBe(false);
    const blank = scoreResponse(rule, items, { ...all, [veto.id]: [] });
    expect(blank.isVetoed).toBe(false);
    expect(blank.isLiterate).toBe(true);
    const off = scoreResponse({ ...rule, vetoEnabled: false }, items, { ...all, [veto.id]: ['T'] });
    expect(off.isLiterate).toBe(true);
  });
});

describe('《基准》2016 self-test rule (2 points an item, ≥60 passes)', () => {
  const items = Array.from({ length: 50 }, () => buildItem());
  it.each([
    [30, 60, true],
    [29, 58, false],
    [50, 100, true],
    [0, 0, false],
  ] as const)('%i right → %i points', (k, score, pass) => {
    const r = scoreResponse(BENCHMARK_RULE_DEFAULT, items, answering(items, items.slice(0, k)));
    expect(r.score).toBe(score);
    expect(r.maxScore).toBe(100);
    expect(r.isLiterate).toBe(pass);
    expect(r.grade).toBe(pass ? 'pass' : 'fail');
    expect(r.correctCount).toBe(k);
  });
});

describe('answers', () => {
  const tf = buildItem();
  const multi = buildItem({
    kind: 'multiple',
    options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: key })),
    key: ['A', 'C'],
  });

  it('reads true/false words and option letters', () => {
    expect(['对', '√', 't', '1', '是'].map((x) => parseAnswer(tf, x))).toEqual(Array(5).fill(['T']));
    expect(['错', '×', 'F', '0', '否'].map((x) => parseAnswer(tf, x))).toEqual(Array(5).fill(['F']));
    expect(parseAnswer(multi, 'c;a')).toEqual(['A', 'C']);
    expect(parseAnswer(multi, ' A、C ')).toEqual(['A', 'C']);
    expect(parseAnswer(multi, '')).toEqual([]);
    expect(parseAnswer(multi, 'NA')).toEqual([]);
  });

  it('counts a multiple-choice item only when exactly the keyed options are chosen', () => {
    const rule = BENCHMARK_RULE_DEFAULT;
    expect(scoreResponse(rule, [multi], { [multi.id]: ['C', 'A'] }).correctCount).toBe(1);
    expect(scoreResponse(rule, [multi], { [multi.id]: ['A'] }).correctCount).toBe(0);
    expect(scoreResponse(rule, [multi], { [multi.id]: ['A', 'B', 'C'] }).correctCount).toBe(0);
    expect(scoreResponse(rule, [multi], {}).items[0]).toMatchObject({ isAnswered: false, isCorrect: false });
  });

  it('summarises unweighted counts', () => {
    const items = Array.from({ length: 50 }, () => buildItem());
    const rs = [30, 10, 50].map((k) =>
      scoreResponse(BENCHMARK_RULE_DEFAULT, items, answering(items, items.slice(0, k))),
    );
    expect(summarizeScores(rs)).toEqual({
      respondents: 3,
      literateShare: 2 / 3,
      meanScore: 60,
      grades: { pass: 2, fail: 1 },
    });
  });
});

describe('instrument validation', () => {
  it('refuses keys outside the options, two keys on a single-choice item, and uncovered dimensions', () => {
    const bad = InstrumentInputSchema.safeParse({
      code: 'bad-one',
      name: '坏问卷',
      purpose: 'survey',
      rule: OFFICIAL_RULE_DEFAULT,
      items: [buildItem({ key: ['X'] }), buildItem({ kind: 'single', key: ['T', 'F'] })],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('不在选项中');
    expect(messages).toContain('只能有一个正确答案');
    expect(messages).toContain('「科学方法」占 20 分，但没有计分的题目');
  });

  it('requires a self-test bank to cover all 26 基准 with enough items', () => {
    const items = Array.from({ length: 50 }, () => buildItem({ benchmarks: [3] }));
    const problems = instrumentProblems({ rule: BENCHMARK_RULE_DEFAULT, items });
    expect(problems.join()).toContain('题库未覆盖基准 1、2、4');
    expect(instrumentProblems({ rule: BENCHMARK_RULE_DEFAULT, items: items.slice(0, 10) }).join()).toContain(
      '少于每次抽取的 50 题',
    );
  });
});
