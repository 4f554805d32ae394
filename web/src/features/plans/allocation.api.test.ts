import { describe, expect, it } from 'vitest';
import { quotasByPopulation } from './allocation.api';

describe('quotas in proportion to residents', () => {
  it('gives whole numbers that add up exactly to the target, the largest remainders rounded up', () => {
    // 30 over 1.0M / 1.5M / 0.5M residents: exact shares 10, 15, 5.
    expect(
      quotasByPopulation(30, [
        { jurisdictionId: 'a', population: 1_000_000 },
        { jurisdictionId: 'b', population: 1_500_000 },
        { jurisdictionId: 'c', population: 500_000 },
      ]),
    ).toEqual({ a: 10, b: 15, c: 5 });
    // 10 over three equal counties: 3.33 each, one of them gets the last unit.
    const q = quotasByPopulation(10, [
      { jurisdictionId: 'a', population: 1 },
      { jurisdictionId: 'b', population: 1 },
      { jurisdictionId: 'c', population: 1 },
    ]);
    expect(Object.values(q).reduce<number>((s, v) => s + (v ?? 0), 0)).toBe(10);
    expect(Object.values(q).sort()).toEqual([3, 3, 4]);
  });

  it('leaves a county without a population figure for the clerk to type (null, not 0)', () => {
    expect(
      quotasByPopulation(12, [
        { jurisdictionId: 'a', population: 2 },
        { jurisdictionId: 'b', population: null },
      ]),
    ).toEqual({ a: 12, b: null });
  });
});
