import { describe, expect, it } from 'vitest';
import { createDesign } from './design';
import { StatsError } from './errors';
import { estimateMean, estimateTotal } from './linearization';
import { replicateDesign, replicateDomains } from './replicate';

// Three strata with two PSUs each, unequal weights, a missing value.
const strata = ['A', 'A', 'A', 'B', 'B', 'B', 'C', 'C'];
const clusters = ['1', '1', '2', '1', '2', '2', '1', '2'];
const w = Float64Array.from([3, 1, 2, 5, 2, 4, 1, 6]);
const y = Float64Array.from([1, 4, 2, Number.NaN, 7, 1, 3, 5]);
const design = createDesign({ weights: w, strata, clusters });

describe('replicate weights (R as.svrepdesign)', () => {
  it('JKn variance of a total equals the linearization variance (exact identity for linear statistics)', () => {
    const jkn = replicateDesign(design, { type: 'JKn' });
    expect(jkn.nReplicates).toBe(6);
    const rep = replicateDomains(jkn, y, null, 1, 'total')[0]!;
    const lin = estimateTotal(design, y);
    expect(rep.estimate).toBeCloseTo(lin.estimate, 12);
    expect(rep.variance / lin.variance).toBeCloseTo(1, 12);
  });

  it('JKn variance of a mean is close to, but not equal to, the linearization variance', () => {
    const rep = replicateDomains(replicateDesign(design, { type: 'JKn' }), y, null, 1, 'mean')[0]!;
    const lin = estimateMean(design, y);
    expect(rep.variance / lin.variance).toBeGreaterThan(0.7);
    expect(rep.variance / lin.variance).toBeLessThan(1.5);
    expect(Math.abs(rep.variance - lin.variance)).toBeGreaterThan(1e-12);
    expect(rep.df).toBe(3); // rank of the replicate weights − 1 = #PSU − #strata
  });

  it('mse = TRUE centres at the full estimate and gives a variance ≥ the centred one', () => {
    const a = replicateDomains(replicateDesign(design, { type: 'JKn' }), y, null, 1)[0]!;
    const b = replicateDomains(replicateDesign(design, { type: 'JKn', mse: true }), y, null, 1)[0]!;
    expect(b.variance).toBeGreaterThanOrEqual(a.variance);
  });

  it('BRR (full orthogonal balance) reproduces the linearization variance of a total', () => {
    const brr = replicateDesign(design, { type: 'BRR' });
    expect(brr.nReplicates).toBe(4);
    const rep = replicateDomains(brr, y, null, 1, 'total')[0]!;
    expect(rep.variance / estimateTotal(design, y).variance).toBeCloseTo(1, 12);
  });

  it('bootstrap is deterministic for a seed and changes with it', () => {
    const a = replicateDomains(
      replicateDesign(design, { type: 'bootstrap', replicates: 200, seed: 7 }),
      y,
      null,
      1,
    )[0]!;
    const b = replicateDomains(
      replicateDesign(design, { type: 'bootstrap', replicates: 200, seed: 7 }),
      y,
      null,
      1,
    )[0]!;
    const c = replicateDomains(
      replicateDesign(design, { type: 'bootstrap', replicates: 200, seed: 8 }),
      y,
      null,
      1,
    )[0]!;
    expect(a.variance).toBe(b.variance);
    expect(a.variance).not.toBe(c.variance);
    const lin = estimateMean(design, y).variance;
    expect(a.variance / lin).toBeGreaterThan(0.3);
    expect(a.variance / lin).toBeLessThan(3);
  });

  it('JK1 on an unstratified design equals JKn with one stratum; JK1 on strata is refused as in R', () => {
    const flat = createDesign({ weights: w, clusters: strata.map((s, i) => s + clusters[i]) });
    const jk1 = replicateDomains(replicateDesign(flat, { type: 'JK1' }), y, null, 1, 'total')[0]!;
    expect(jk1.variance / estimateTotal(flat, y).variance).toBeCloseTo(1, 12);
    expect(() => replicateDesign(design, { type: 'JK1' })).toThrowError(StatsError);
  });

  it("a lonely PSU fails JKn under 'fail' and gets R's extra replicate under 'adjust'", () => {
    const lonelyStrata = [...strata.slice(0, 6), 'D', 'D'];
    const lonelyClusters = [...clusters.slice(0, 6), '1', '1'];
    const fail = createDesign({ weights: w, strata: lonelyStrata, clusters: lonelyClusters });
    expect(() => replicateDesign(fail, { type: 'JKn' })).toThrowError(/只有一个/);
    const adjust = createDesign({
      weights: w,
      strata: lonelyStrata,
      clusters: lonelyClusters,
      lonelyPsu: 'adjust',
    });
    expect(replicateDesign(adjust, { type: 'JKn' }).nReplicates).toBe(5);
    const remove = createDesign({
      weights: w,
      strata: lonelyStrata,
      clusters: lonelyClusters,
      lonelyPsu: 'remove',
    });
    expect(replicateDesign(remove, { type: 'JKn' }).nReplicates).toBe(4);
  });
});
