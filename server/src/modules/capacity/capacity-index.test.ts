import { describe, expect, it } from 'vitest';
import {
  computeCapacityIndex,
  type IndexDimension,
  type IndexInput,
  movedWeights,
  rankOf,
  type RawValue,
  sensitivityOf,
} from './capacity-index';

/**
 * The hand-computed example. Four counties A, B, C, D; two dimensions with relative weights 3 and 2 (→ 0.6, 0.4).
 *   人员 (weight 3): i1 volunteers per 万人 (per resident, higher better, weight 1), i2 bases (higher, weight 1)
 *   经费 (weight 2): i3 a "lower is better" figure (weight 5: alone in its dimension, normalised to 1)
 * Residents: A 100,000 (10 万), B 200,000 (20 万), C 50,000 (5 万), D none.
 * i1 raw: 100 each → per 万人 A 10, B 5, C 20, D missing (缺少常住人口数据).
 * i2 raw: A 4, B 8, C 6, D 6.    i3 raw: A 2, B 6, C 5, D 4.
 */
const dimensions: IndexDimension[] = [
  {
    key: 'people',
    name: '科普人员',
    weight: 3,
    indicators: [
      { key: 'i1', name: '志愿者', weight: 1, direction: 'higher', perResident: true },
      { key: 'i2', name: '基地', weight: 1, direction: 'higher', perResident: false },
    ],
  },
  {
    key: 'money',
    name: '科普经费',
    weight: 2,
    indicators: [{ key: 'i3', name: '越低越好', weight: 5, direction: 'lower', perResident: false }],
  },
];
const RAW: Record<string, Record<string, number>> = {
  i1: { A: 100, B: 100, C: 100, D: 100 },
  i2: { A: 4, B: 8, C: 6, D: 6 },
  i3: { A: 2, B: 6, C: 5, D: 4 },
};
const input = (scaling: 'minmax' | 'zscore'): IndexInput => ({
  scaling,
  dimensions,
  counties: [
    { id: 'A', name: 'A县', residents: 100_000 },
    { id: 'B', name: 'B县', residents: 200_000 },
    { id: 'C', name: 'C县', residents: 50_000 },
    { id: 'D', name: 'D县', residents: null },
  ],
  raw: (k, c): RawValue => {
    const v = RAW[k]?.[c];
    return v === undefined ? { value: null, reason: '未录入' } : { value: v };
  },
});

const county = (r: ReturnType<typeof computeCapacityIndex>, id: string) =>
  r.counties.find((c) => c.id === id)!;

describe('capacity index (hand-computed example)', () => {
  it('min–max: per 万人, scaled 0–100 with direction, weighted dimensions, index, shared ranks', () => {
    const r = computeCapacityIndex(input('minmax'));
    expect(r.dimensionWeights).toEqual({ people: 0.6, money: 0.4 });
    expect(r.indicatorWeights).toEqual({ i1: 0.5, i2: 0.5, i3: 1 });
    // i1 per 万人 over A, B, C (min 5, max 20): A (10−5)/15 = 33.33, B 0, C 100; D missing residents.
    const i1 = (id: string) => county(r, id).indicators.find((s) => s.key === 'i1')!;
    expect(i1('A').value).toBeCloseTo(10, 9);
    expect(i1('A').scaled).toBeCloseTo(100 / 3, 9);
    expect(i1('B').scaled).toBeCloseTo(0, 9);
    expect(i1('C').scaled).toBeCloseTo(100, 9);
    expect(i1('D')).toMatchObject({ raw: 100, value: null, scaled: null, missing: '缺少常住人口数据' });
    // i2 (min 4, max 8): A 0, B 100, C 50, D 50. i3 lower better (min 2, max 6): A 100, B 0, C 25, D 50.
    // 人员: A (33.33+0)/2 = 16.67, B 50, C 75, D 50 (i2 alone, weight renormalised). 经费: A 100, B 0, C 25, D 50.
    expect(county(r, 'A').dimensions.people).toBeCloseTo(50 / 3, 9);
    expect(county(r, 'D').dimensions.people).toBeCloseTo(50, 9);
    expect(county(r, 'C').dimensions.money).toBeCloseTo(25, 9);
    // Index = 0.6 人员 + 0.4 经费: A 10 + 40 = 50, B 30 + 0 = 30, C 45 + 10 = 55, D 30 + 20 = 50.
    expect(county(r, 'A').index).toBeCloseTo(50, 9);
    expect(county(r, 'B').index).toBeCloseTo(30, 9);
    expect(county(r, 'C').index).toBeCloseTo(55, 9);
    expect(county(r, 'D').index).toBeCloseTo(50, 9);
    // C first; A and D tie for second; B fourth (1, 2, 2, 4).
    expect(r.counties.map((c) => [c.id, c.rank])).toEqual([
      ['A', 2],
      ['B', 4],
      ['C', 1],
      ['D', 2],
    ]);
    expect(r.counties.filter((c) => c.incomplete).map((c) => c.id)).toEqual(['D']);
  });

  it('z-score: (v − mean) / population sd, sign flipped when lower is better', () => {
    const r = computeCapacityIndex(input('zscore'));
    // i1 per 万人 over A, B, C: 10, 5, 20; mean 35/3; sd = √(((10−35/3)² + (5−35/3)² + (20−35/3)²)/3) = √(350/9).
    const sd1 = Math.sqrt(350 / 9);
    const z1 = { A: (10 - 35 / 3) / sd1, B: (5 - 35 / 3) / sd1, C: (20 - 35 / 3) / sd1 };
    // i2: 4, 8, 6, 6; mean 6; sd √((4+4+0+0)/4) = √2.
    const z2 = { A: -2 / Math.SQRT2, B: 2 / Math.SQRT2, C: 0, D: 0 };
    // i3 (lower): 2, 6, 5, 4; mean 4.25; sd √((2.25²+1.75²+0.75²+0.25²)/4) = √(8.75/4); z = −(v − 4.25)/sd.
    const sd3 = Math.sqrt(8.75 / 4);
    const z3 = { A: 2.25 / sd3, B: -1.75 / sd3, C: -0.75 / sd3, D: 0.25 / sd3 };
    const scaled = (id: string, key: string) => county(r, id).indicators.find((s) => s.key === key)!.scaled;
    expect(scaled('A', 'i1')).toBeCloseTo(z1.A, 9);
    expect(scaled('C', 'i1')).toBeCloseTo(z1.C, 9);
    expect(scaled('B', 'i2')).toBeCloseTo(z2.B, 9);
    expect(scaled('A', 'i3')).toBeCloseTo(z3.A, 9);
    expect(scaled('D', 'i3')).toBeCloseTo(z3.D, 9);
    const index = {
      A: 0.6 * ((z1.A + z2.A) / 2) + 0.4 * z3.A,
      B: 0.6 * ((z1.B + z2.B) / 2) + 0.4 * z3.B,
      C: 0.6 * ((z1.C + z2.C) / 2) + 0.4 * z3.C,
      // D has no i1: 人员 is i2 alone.
      D: 0.6 * z2.D + 0.4 * z3.D,
    };
    for (const id of ['A', 'B', 'C', 'D'] as const) expect(county(r, id).index).toBeCloseTo(index[id], 9);
    // A ≈ 0.6·(−0.267−1.414)/2 + 0.4·1.521 = 0.104; B ≈ 0.6·(−1.069+1.414)/2 − 0.4·1.183 = −0.370;
    // C ≈ 0.6·1.336/2 − 0.4·0.507 = 0.198; D ≈ 0.4·0.169 = 0.068 → C 1, A 2, D 3, B 4.
    expect(r.counties.map((c) => c.rank)).toEqual([2, 4, 1, 3]);
  });

  it('sensitivity: each dimension ±20%, the others rescaled, ranks by hand', () => {
    const r = computeCapacityIndex(input('minmax'));
    const s = sensitivityOf(r, dimensions);
    expect(s.scenarios.map((x) => [x.dimensionKey, x.change])).toEqual([
      ['people', -0.2],
      ['people', 0.2],
      ['money', -0.2],
      ['money', 0.2],
    ]);
    // 人员 −20%: 0.48 / 0.52 → A 8 + 52 = 60, B 24, C 36 + 13 = 49, D 24 + 26 = 50 → A 1, D 2, C 3, B 4.
    const [down, up, moneyDown, moneyUp] = s.scenarios;
    expect(down!.weights.people).toBeCloseTo(0.48, 12);
    expect(down!.weights.money).toBeCloseTo(0.52, 12);
    expect(down!.ranks).toEqual({ A: 1, B: 4, C: 3, D: 2 });
    expect(down!.top).toEqual(['A']);
    expect(down!.changesTop).toBe(true);
    // 人员 +20%: 0.72 / 0.28 → A 12 + 28 = 40, B 36, C 54 + 7 = 61, D 50 → C 1, D 2, A 3, B 4.
    expect(up!.ranks).toEqual({ A: 3, B: 4, C: 1, D: 2 });
    expect(up!.changesTop).toBe(false);
    // 经费 −20%: 0.68 / 0.32 → A 11.33 + 32 = 43.33, B 34, C 51 + 8 = 59, D 50 → C 1, D 2, A 3, B 4.
    expect(moneyDown!.weights.people).toBeCloseTo(0.68, 12);
    expect(moneyDown!.ranks).toEqual({ A: 3, B: 4, C: 1, D: 2 });
    // 经费 +20%: 0.52 / 0.48 → A 8.67 + 48 = 56.67, B 26, C 39 + 12 = 51, D 50 → A 1, C 2, D 3, B 4.
    expect(moneyUp!.ranks).toEqual({ A: 1, B: 4, C: 2, D: 3 });
    expect(moneyUp!.changesTop).toBe(true);
    // Ranges over the result (C 1, A 2, D 2, B 4) and the four moves.
    expect(s.rankRange).toEqual({
      A: { best: 1, worst: 3 },
      B: { best: 4, worst: 4 },
      C: { best: 1, worst: 3 },
      D: { best: 2, worst: 3 },
    });
  });

  it('weights moved keep the sum 1; ties share a rank; a county with nothing has no index', () => {
    const w = movedWeights({ a: 0.5, b: 0.3, c: 0.2 }, 'b', 0.2);
    expect(w.b).toBeCloseTo(0.36, 12);
    // a and c share the remaining 0.64 in proportion 5 : 2.
    expect(w.a).toBeCloseTo((0.64 * 5) / 7, 12);
    expect(w.a! + w.b! + w.c!).toBeCloseTo(1, 12);
    expect(rankOf([3, 5, 5, null, 1])).toEqual([3, 1, 1, null, 4]);
    const r = computeCapacityIndex({
      ...input('minmax'),
      raw: (k, c) => (c === 'B' ? { value: null, reason: '未录入' } : { value: RAW[k]![c]! }),
    });
    expect(county(r, 'B')).toMatchObject({ index: null, rank: null, incomplete: true });
    expect(county(r, 'B').dimensions).toEqual({ people: null, money: null });
    // min–max with every value equal gives each county 100 (nobody is worse); i1 per 万人 still differs
    // (7 per 10, 20, 5 万: 0.7, 0.35, 1.4 → A (0.7 − 0.35)/1.05 = 33.33).
    const flat = computeCapacityIndex({ ...input('minmax'), raw: () => ({ value: 7 }) });
    const flatA = county(flat, 'A').indicators.map((s) => s.scaled);
    expect(flatA[0]).toBeCloseTo(100 / 3, 9);
    expect(flatA.slice(1)).toEqual([100, 100]);
  });
});
