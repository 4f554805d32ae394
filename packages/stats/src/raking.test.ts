import { describe, expect, it } from 'vitest';
import { createDesign } from './design';
import type { StatsError } from './errors';
import { estimateMean } from './linearization';
import { type RakingMargin, postStratifyDesign, rakeDesign } from './raking';

const sex = ['m', 'm', 'f', 'f', 'm', 'f', 'f', 'm'];
const area = ['u', 'r', 'u', 'r', 'u', 'u', 'r', 'r'];
const w = Float64Array.from([10, 12, 8, 9, 11, 10, 7, 13]);
const y = Float64Array.from([1, 0, 1, 0, 1, 1, 0, 0]);
const design = createDesign({ weights: w, clusters: ['1', '1', '2', '2', '3', '3', '4', '4'] });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as StatsError).code;
  }
  return 'none';
}

describe('rake (R rake(design, list(~sex, ~area), totals, control = list(maxit, epsilon)))', () => {
  const raked = rakeDesign(
    design,
    [
      { name: 'sex', values: sex, totals: { m: 60, f: 40 } },
      { name: 'area', values: area, totals: { u: 55, r: 45 } },
    ],
    { maxIter: 100, epsilon: 1e-10 },
  );

  it('hits every margin total', () => {
    const sum = (pred: (i: number) => boolean) =>
      raked.weights.reduce((s, wi, i) => s + (pred(i) ? wi : 0), 0);
    expect(sum((i) => sex[i] === 'm')).toBeCloseTo(60, 8);
    expect(sum((i) => area[i] === 'u')).toBeCloseTo(55, 8);
    expect(raked.calibration?.converged).toBe(true);
  });

  it('calibration lowers the variance of a variable explained by the margins', () => {
    // y is 1 exactly in urban rows except one: raking on area removes most of its variance.
    const fixed = createDesign({
      weights: raked.weights,
      clusters: ['1', '1', '2', '2', '3', '3', '4', '4'],
    });
    expect(estimateMean(raked, y).variance).toBeLessThan(estimateMean(fixed, y).variance);
  });

  it('not converged within maxit → RAKING_NOT_CONVERGED (R only warns; we refuse by default)', () => {
    const margins: RakingMargin[] = [
      { name: 'sex', values: sex, totals: { m: 60, f: 40 } },
      { name: 'area', values: area, totals: { u: 55, r: 45 } },
    ];
    // One sweep always changes the cross-table from the design weights, so maxit = 1 cannot converge.
    expect(codeOf(() => rakeDesign(design, margins, { maxIter: 1, epsilon: 1e-10 }))).toBe(
      'RAKING_NOT_CONVERGED',
    );
    const lenient = rakeDesign(design, margins, { maxIter: 1, epsilon: 1e-10, allowNonConvergence: true });
    expect(lenient.calibration?.converged).toBe(false);
    expect(codeOf(() => rakeDesign(design, margins, { maxIter: 100, epsilon: 1e-10 }))).toBe('none');
  });

  it('a sample level without a population total, or a total without sample → MARGIN_NOT_COVERED', () => {
    expect(codeOf(() => rakeDesign(design, [{ name: 'sex', values: sex, totals: { m: 60 } }]))).toBe(
      'MARGIN_NOT_COVERED',
    );
    expect(
      codeOf(() => rakeDesign(design, [{ name: 'sex', values: sex, totals: { m: 60, f: 30, x: 10 } }])),
    ).toBe('MARGIN_NOT_COVERED');
  });
});

describe('postStratify (R postStratify(design, ~area, pop))', () => {
  it('mean = Σ N_g ȳ_g / N and the variance is that of the residuals w′(y − ȳ_g)/N', () => {
    const equal = createDesign({ weights: new Float64Array(8).fill(10) });
    const ps = postStratifyDesign(equal, { name: 'area', values: area, totals: { u: 30, r: 70 } });
    const e = estimateMean(ps, y);
    // urban ȳ = 1 (4 rows), rural ȳ = 0 → mean 0.3, residuals all zero → variance 0
    expect(e.estimate).toBeCloseTo(0.3, 14);
    expect(e.variance).toBeCloseTo(0, 20);

    const y2 = Float64Array.from([1, 0, 0, 0, 1, 1, 1, 0]);
    const e2 = estimateMean(
      postStratifyDesign(equal, { name: 'area', values: area, totals: { u: 30, r: 70 } }),
      y2,
    );
    const ybar = { u: 3 / 4, r: 1 / 4 };
    expect(e2.estimate).toBeCloseTo(0.3 * 0.75 + 0.7 * 0.25, 14);
    // each row its own PSU: v = n/(n−1) Σ (e_i − ē)², e_i = w′_i (y_i − ȳ_g)/N
    const wNew = area.map((a) => (a === 'u' ? 30 / 4 : 70 / 4));
    const res = Array.from(y2, (v, i) => (wNew[i]! * (v - ybar[area[i] as 'u' | 'r'])) / 100);
    const mean = res.reduce((a, b) => a + b, 0) / 8;
    const v = (8 / 7) * res.reduce((s, r) => s + (r - mean) ** 2, 0);
    expect(e2.variance).toBeCloseTo(v, 15);
    expect(v).toBeGreaterThan(1e-4);
  });
});
