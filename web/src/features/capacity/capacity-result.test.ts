import { describe, expect, it } from 'vitest';
import { rangeOption } from './capacity-result';

describe('rangeOption', () => {
  it('floats each county from best − ½ to worst + ½ on a 0…n+1 axis, with the rank as a dot', () => {
    const o = rangeOption(
      [
        { name: '丰县', rank: 1, best: 1, worst: 3 },
        { name: '沛县', rank: 2, best: 2, worst: 2 },
        { name: '睢宁县', rank: 3, best: null, worst: null },
      ],
      3,
    );
    expect(o.xAxis).toMatchObject({ min: 0, max: 4, interval: 1 });
    const [base, span, dots] = o.series as { data: unknown[] }[];
    // 丰县: transparent 0.5, then 3 (0.5 → 3.5 covers ranks 1–3); 沛县: 1.5 then 1.
    expect(base!.data).toEqual([0.5, 1.5, null]);
    expect(span!.data).toEqual([3, 1, null]);
    expect(dots!.data).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
  });
});
