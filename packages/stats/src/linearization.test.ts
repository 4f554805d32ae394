import { describe, expect, it } from 'vitest';
import { proportionCi } from './ci';
import { createDesign, designDegreesOfFreedom } from './design';
import { StatsError } from './errors';
import { estimateDomains, estimateMean, estimateTotal } from './linearization';

const y5 = Float64Array.from([1, 0, 1, 1, 0]);

describe('simple random sample: the textbook formulas (R svymean on svydesign(ids=~1, weights=~w))', () => {
  // n = 5, N = Σw = 50, ȳ = 0.6, s² = Σ(y−ȳ)²/(n−1) = 1.2/4 = 0.3.
  const design = createDesign({ weights: new Float64Array(5).fill(10) });
  const e = estimateMean(design, y5);

  it('mean, with-replacement variance s²/n, deff N/(N−n), df n−1', () => {
    expect(e.estimate).toBeCloseTo(0.6, 14);
    expect(e.variance).toBeCloseTo(0.3 / 5, 14);
    expect(e.deff).toBeCloseTo(50 / 45, 12);
    expect(e.df).toBe(4);
    expect(e.n).toBe(5);
    expect(e.effectiveN).toBeCloseTo(5 / (50 / 45), 12);
    expect(e.cv).toBeCloseTo(Math.sqrt(0.06) / 0.6, 12);
  });

  it('fpc multiplies the variance by (1 − n/N)', () => {
    const withFpc = createDesign({
      weights: new Float64Array(5).fill(10),
      fpc: new Float64Array(5).fill(50),
    });
    expect(estimateMean(withFpc, y5).variance).toBeCloseTo((0.3 / 5) * (1 - 5 / 50), 14);
  });

  it('total: N·ȳ with variance N²·s²/n', () => {
    const t = estimateTotal(design, y5);
    expect(t.estimate).toBeCloseTo(30, 12);
    expect(t.variance).toBeCloseTo((2500 * 0.3) / 5, 9);
  });

  it('missing values are dropped (na.rm) but the design keeps its 5 PSUs, as R does', () => {
    const withNa = Float64Array.from([1, 0, Number.NaN, 1, 0]);
    const m = estimateMean(design, withNa);
    expect(m.n).toBe(4);
    expect(m.estimate).toBeCloseTo(0.5, 14);
    // R keeps fpc$sampsize = 5 after design[nas == 0, ]: the dropped PSU is a zero. z = ±(1/2)/4 = ±1/8,
    // v = 5/4 · (4 · 1/64 + 1 · 0) = 5/64 — not the naive s²/4 = 1/12.
    expect(m.variance).toBeCloseTo(5 / 64, 14);
    expect(m.df).toBe(4);
  });

  it('logit, Wald and Korn–Graubard intervals follow their formulas', () => {
    const q = 2.7764451051977987; // R qt(0.975, 4)
    const se = e.se;
    const wald = proportionCi(0.6, se, 4, 'wald');
    expect(wald.low).toBeCloseTo(0.6 - q * se, 10);
    const logit = proportionCi(0.6, se, 4, 'logit');
    const eta = Math.log(0.6 / 0.4);
    expect(logit.high).toBeCloseTo(1 / (1 + Math.exp(-(eta + (q * se) / 0.24))), 10);
    // Korn–Graubard: n_eff = p(1−p)/se² = 0.24/0.06 = 4 (the df ratio is 1 since nrow − 1 = df = 4);
    // qbeta(0.025, 4·0.6, 4·0.4 + 1) and qbeta(0.975, 4·0.6 + 1, 4·0.4) from scipy.stats.beta.ppf.
    const kg = proportionCi(0.6, se, 4, 'beta', 0.95, 5);
    expect(kg.low).toBeCloseTo(0.11045092340379371, 12);
    expect(kg.high).toBeCloseTo(0.9650277197676222, 12);
  });
});

describe('stratified cluster design by hand (R svydesign(ids=~psu, strata=~h, nest=TRUE))', () => {
  // Stratum A: PSUs a1 (rows 0,1), a2 (row 2); stratum B: PSUs b1 (row 3), b2 (rows 4,5); weights 1..6.
  const strata = ['A', 'A', 'A', 'B', 'B', 'B'];
  const clusters = ['a1', 'a1', 'a2', 'b1', 'b2', 'b2'];
  const w = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const y = Float64Array.from([2, 4, 1, 3, 5, 0]);

  function byHand(include: boolean[]): number {
    let sw = 0;
    let swy = 0;
    include.forEach((inc, i) => {
      if (inc) {
        sw += w[i]!;
        swy += w[i]! * y[i]!;
      }
    });
    const m = swy / sw;
    const z = (i: number) => (include[i] ? (w[i]! * (y[i]! - m)) / sw : 0);
    const psu = (rows: number[]) => rows.reduce((s, i) => s + z(i), 0);
    const strat = (t: number[]) => {
      const mean = t.reduce((a, b) => a + b, 0) / t.length;
      return (t.length / (t.length - 1)) * t.reduce((s, x) => s + (x - mean) ** 2, 0);
    };
    return strat([psu([0, 1]), psu([2])]) + strat([psu([3]), psu([4, 5])]);
  }

  const design = createDesign({ weights: w, strata, clusters });

  it('variance is Σ_h n_h/(n_h−1) Σ_j (t_hj − t̄_h)², df = #PSU − #strata', () => {
    const e = estimateMean(design, y);
    expect(e.variance).toBeCloseTo(byHand([true, true, true, true, true, true]), 15);
    expect(e.df).toBe(2);
    expect(designDegreesOfFreedom(design)).toBe(2);
  });

  it('a domain keeps the whole design: zero outside, never a row subset', () => {
    const codes = Int32Array.from([0, 1, 0, 1, 0, 1]);
    const [d0, d1] = estimateDomains(design, y, codes, ['x', 'y']);
    expect(d0!.level).toBe('x');
    expect(d0!.estimate.variance).toBeCloseTo(byHand([true, false, true, false, true, false]), 15);
    expect(d1!.estimate.variance).toBeCloseTo(byHand([false, true, false, true, false, true]), 15);
    // treating the domain as its own sample would give a different (wrong) variance
    const subset = createDesign({
      weights: Float64Array.from([1, 3, 5]),
      strata: ['A', 'A', 'B'],
      clusters: ['a1', 'a2', 'b2'],
      lonelyPsu: 'remove',
    });
    expect(
      Math.abs(estimateMean(subset, Float64Array.from([2, 1, 5])).variance - d0!.estimate.variance),
    ).toBeGreaterThan(1e-6);
  });
});

describe('lonely PSU policies (R options(survey.lonely.psu))', () => {
  // Stratum A has PSUs a1, a2; stratum B has the single PSU b1.
  const strata = ['A', 'A', 'A', 'B', 'B'];
  const clusters = ['a1', 'a1', 'a2', 'b1', 'b1'];
  const w = Float64Array.from([2, 2, 4, 3, 1]);
  const y = Float64Array.from([1, 0, 1, 1, 1]);
  const sw = 12;
  const mean = (2 + 4 + 3 + 1) / sw;
  const z = (i: number) => (w[i]! * (y[i]! - mean)) / sw;
  const ta1 = z(0) + z(1);
  const ta2 = z(2);
  const tb = z(3) + z(4);
  const vA = 2 * ((ta1 - (ta1 + ta2) / 2) ** 2 + (ta2 - (ta1 + ta2) / 2) ** 2);
  const est = (lonelyPsu: 'fail' | 'remove' | 'adjust' | 'certainty' | 'average') =>
    estimateMean(createDesign({ weights: w, strata, clusters, lonelyPsu }), y);

  it('fail throws LONELY_PSU', () => {
    expect(() => est('fail')).toThrowError(StatsError);
    try {
      est('fail');
    } catch (e) {
      expect((e as StatsError).code).toBe('LONELY_PSU');
    }
  });
  it('remove and certainty drop the stratum from the variance', () => {
    expect(est('remove').variance).toBeCloseTo(vA, 15);
    expect(est('certainty').variance).toBeCloseTo(vA, 15);
  });
  it('adjust centres the lonely PSU at the overall mean', () => {
    expect(est('adjust').variance).toBeCloseTo(vA + tb * tb, 15);
    expect(tb * tb).toBeGreaterThan(1e-6);
  });
  it('average scales by #strata / #strata with ≥ 2 PSUs', () => {
    expect(est('average').variance).toBeCloseTo(vA * 2, 15);
  });
});

describe('bad input', () => {
  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('weight %s → BAD_WEIGHT', (bad) => {
    let code = '';
    try {
      createDesign({ weights: [1, 2, bad] });
    } catch (e) {
      code = (e as StatsError).code;
    }
    expect(code).toBe('BAD_WEIGHT');
  });
  it('a zero weight is allowed (R accepts it); all weights zero → BAD_WEIGHT', () => {
    expect(createDesign({ weights: [1, 0, 2] }).zeroWeightRows).toBe(1);
    expect(() => createDesign({ weights: [0, 0] })).toThrowError(/都是 0/);
  });
  it('length mismatch → BAD_INPUT', () => {
    expect(() => createDesign({ weights: [1, 2], strata: ['a'] })).toThrowError(/长度/);
  });
});
