import type { EvaluationResult } from '@kesu/indicators';
import { describe, expect, it } from 'vitest';
import { rollUpPlan } from './plan-rollup';

/** A result with only what the roll-up reads: the light, the completion and the sentence. */
function result(indicatorId: string, progress: number | null): EvaluationResult {
  return {
    indicatorId,
    status: progress === null ? 'no_data' : progress >= 1 ? 'green' : 'red',
    progress,
    explanation: { formula: '', ruleText: '无数据', text: '', inputs: {} },
  } as unknown as EvaluationResult;
}

describe('rollUpPlan: the one completion formula', () => {
  // 二 has one survey indicator at 20%; 三 has two groups: (一) with three indicators at 100%, 100%, 40% and one
  // without data, (二) with one at 60%. 四 has no indicator at all.
  const tasks = [
    { id: 'p2', parent_id: null, title: '二' },
    { id: 'p3', parent_id: null, title: '三' },
    { id: 'g1', parent_id: 'p3', title: '(一)' },
    { id: 'g2', parent_id: 'p3', title: '(二)' },
    { id: 'p4', parent_id: null, title: '四' },
  ];
  const indicators = [
    { id: 'rate', task_id: 'p2' },
    { id: 'a', task_id: 'g1' },
    { id: 'b', task_id: 'g1' },
    { id: 'c', task_id: 'g1' },
    { id: 'n', task_id: 'g1' },
    { id: 'd', task_id: 'g2' },
  ];
  const results = [
    result('rate', 0.2),
    result('a', 1),
    result('b', 1),
    result('c', 0.4),
    result('n', null),
    result('d', 0.6),
  ];

  it('is the mean over indicators with data, each weighing the same, at every level (hand-computed)', () => {
    const r = rollUpPlan(tasks, indicators, results);
    // (一): (1 + 1 + 0.4) / 3 = 0.8; 三: (1 + 1 + 0.4 + 0.6) / 4 = 0.75.
    expect(r.byTask.get('g1')?.progress).toBeCloseTo(0.8, 12);
    expect(r.byTask.get('g2')?.progress).toBeCloseTo(0.6, 12);
    expect(r.byTask.get('p3')?.progress).toBeCloseTo(0.75, 12);
    expect(r.byTask.get('p2')?.progress).toBeCloseTo(0.2, 12);
    // The plan: (0.2 + 1 + 1 + 0.4 + 0.6) / 5 = 0.64 — not (0.2 + 0.75) / 2 = 0.475 with the parts weighed equally.
    expect(r.root.progress).toBeCloseTo(0.64, 12);
    expect(r.counted).toBe(5);
    expect(r.withoutData).toBe(1);
    // A part without indicators has no data; it is not a 0.
    expect(r.byTask.get('p4')?.progress).toBeNull();
  });

  it('one more indicator with data moves the plan by its share, not by its part’s', () => {
    const before = rollUpPlan(tasks, indicators, results).root.progress!;
    const after = rollUpPlan(tasks, indicators, [
      ...results.filter((x) => x.indicatorId !== 'n'),
      result('n', 0),
    ]);
    // (0.2 + 1 + 1 + 0.4 + 0 + 0.6) / 6 = 0.5333…
    expect(after.root.progress).toBeCloseTo(3.2 / 6, 12);
    expect(before - after.root.progress!).toBeCloseTo(0.64 - 3.2 / 6, 12);
    expect(after.withoutData).toBe(0);
  });

  it('nothing with data: no completion at all (null), never 0%', () => {
    const r = rollUpPlan(
      tasks,
      indicators,
      results.map((x) => result(x.indicatorId, null)),
    );
    expect(r.root.progress).toBeNull();
    expect(r.counted).toBe(0);
  });
});
