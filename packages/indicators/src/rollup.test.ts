import { describe, expect, it } from 'vitest';
import { rollUp } from './rollup';
import { type EvaluationResult, RollupNodeSchema, type Status } from './schema';

function result(indicatorId: string, progress: number | null, status: Status = 'green'): EvaluationResult {
  return {
    indicatorId,
    kind: 'cumulative',
    comparator: '>=',
    unit: '所',
    asOf: '2025-06-30',
    year: null,
    status: progress === null ? 'no_data' : status,
    actual: progress,
    ci: null,
    target: 1,
    expected: null,
    elapsedShare: null,
    progress,
    isFinal: false,
    observation: null,
    counties: [],
    countiesWithoutData: [],
    anomalies: [],
    explanation: { formula: '', inputs: {}, rule: 'on_track', ruleText: '', text: '' },
  };
}

describe('rollUp', () => {
  it('normalises weights that do not sum to 1', () => {
    const tree = {
      id: 'root',
      children: [
        { id: 'a', weight: 2, indicatorId: 'i-a' },
        { id: 'b', weight: 1, indicatorId: 'i-b' },
      ],
    };
    const r = rollUp(tree, [result('i-a', 0.9), result('i-b', 0.3)]);
    expect(r.progress).toBeCloseTo((2 * 0.9 + 0.3) / 3, 12);
    expect(r.children.map((c) => c.normalizedWeight)).toEqual([2 / 3, 1 / 3]);
    // the same proportions written as 0.4 / 0.2 give the same answer
    const scaled = rollUp(
      {
        id: 'root',
        children: [
          { id: 'a', weight: 0.4, indicatorId: 'i-a' },
          { id: 'b', weight: 0.2, indicatorId: 'i-b' },
        ],
      },
      [result('i-a', 0.9), result('i-b', 0.3)],
    );
    expect(scaled.progress).toBeCloseTo(r.progress ?? Number.NaN, 12);
    expect(r.explanation.text).toBe('按权重加权平均 2 项（权重和 3，已归一化），完成度 70%');
  });

  it('a child with weight 0 counts nothing', () => {
    const r = rollUp(
      {
        id: 'root',
        children: [
          { id: 'a', indicatorId: 'i-a' },
          { id: 'z', weight: 0, indicatorId: 'i-z' },
        ],
      },
      [result('i-a', 0.5), result('i-z', 1)],
    );
    expect(r.progress).toBe(0.5);
    expect(r.children[1]?.normalizedWeight).toBe(0);
  });

  it('excludes no-data children from the average and reports them; all no-data is no data, not 0', () => {
    const tree = {
      id: 'root',
      children: [
        {
          id: 'g1',
          children: [
            { id: 'a', indicatorId: 'i-a' },
            { id: 'b', indicatorId: 'i-b' },
            { id: 'c', indicatorId: 'missing' },
          ],
        },
        {
          id: 'g2',
          children: [
            { id: 'd', indicatorId: 'i-d' },
            { id: 't', progress: null },
          ],
        },
        { id: 'g3', weight: 3, progress: 0.2 },
      ],
    };
    const r = rollUp(tree, [result('i-a', 0.8, 'yellow'), result('i-b', null), result('i-d', null)]);
    const [g1, g2] = r.children;
    expect([g1?.progress, g1?.childrenWithoutData]).toEqual([0.8, 2]);
    expect(g1?.explanation.text).toBe(
      '按权重加权平均 1 项（权重和 1，已归一化），2 项无数据未计入，完成度 80%',
    );
    expect([g2?.progress, g2?.childrenWithoutData, g2?.normalizedWeight]).toEqual([null, 2, null]);
    expect(g2?.explanation.text).toBe('全部 2 项子项均无数据，无数据（不是 0）');
    expect(r.progress).toBeCloseTo((0.8 + 3 * 0.2) / 4, 12);
    expect(r.childrenWithoutData).toBe(1);
    expect(r.statusCounts).toEqual({ green: 0, yellow: 1, red: 0, no_data: 3 });
  });

  it('children with data that all weigh 0 give no data', () => {
    const r = rollUp({ id: 'root', children: [{ id: 'a', weight: 0, progress: 1 }] }, []);
    expect(r.progress).toBeNull();
  });

  it('validates the node shape: exactly one of indicator, progress or children, weights ≥ 0', () => {
    expect(RollupNodeSchema.safeParse({ id: 'x', indicatorId: 'i', children: [] }).success).toBe(false);
    expect(RollupNodeSchema.safeParse({ id: 'x', weight: -1, progress: 0.5 }).success).toBe(false);
    expect(RollupNodeSchema.safeParse({ id: 'x', children: [{ id: 'y', progress: 0.5 }] }).success).toBe(
      true,
    );
  });
});
