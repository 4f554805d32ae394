import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { betaQuantile, studentQuantile } from './distributions';
import { estimate } from './estimate';
import type { StatsError } from './errors';

describe('distributions agree with R', () => {
  it.each([
    [1, 12.706204736174698],
    [4, 2.7764451051977987],
    [58, 2.0017174841452352],
    [1000, 1.9623390808264078],
  ])('qt(0.975, %d)', (df, want) => {
    expect(Math.abs(studentQuantile(0.975, df) - want) / want).toBeLessThan(1e-12);
  });
  it('qbeta(0.025, 3.5, 40.2)', () => {
    expect(betaQuantile(0.025, 3.5, 40.2)).toBeCloseTo(0.020184547720683448, 13);
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas and CRLF', () => {
    const { header, rows } = parseCsv('\ufeff"a","b,c"\r\n1,"say ""hi"""\r\n2,\n');
    expect(header).toEqual(['a', 'b,c']);
    expect(rows).toEqual([
      ['1', 'say "hi"'],
      ['2', ''],
    ]);
  });
});

describe('estimate()', () => {
  const columns = {
    w: [10, 10, 10, 10, 10, 10],
    s: ['A', 'A', 'A', 'B', 'B', 'B'],
    g: ['x', 'y', 'x', 'y', 'x', 'y'],
    h: ['p', 'p', 'q', 'q', 'p', 'q'],
    lit: ['1', '0', '', '1', '0', '1'],
    score: [50, 60, 70, 80, 90, 65],
  };
  const design = { weights: 'w', strata: 's', clusters: null, lonelyPsu: 'fail' as const };

  it('returns the overall row first, crossed breakdowns named "a,b" / "x,y", a Wald interval for a mean', () => {
    const recs = estimate({
      columns,
      design,
      method: 'linearization',
      by: ['g', ['g', 'h']],
      variables: ['lit', 'score'],
    });
    expect(recs[0]).toMatchObject({ by: null, domain: null, variable: 'lit', n: 5, estimate: 0.6 });
    expect(recs[0]!.ciLow).toBeLessThan(0.6);
    const crossed = recs.filter((r) => r.by === 'g,h' && r.variable === 'lit').map((r) => r.domain);
    expect(crossed).toEqual(['x,p', 'x,q', 'y,p', 'y,q']);
    const score = recs.find((r) => r.variable === 'score' && r.by === null)!;
    expect(score).toMatchObject({ kind: 'mean', ciMethod: 'wald', flags: [] });
    expect(score.estimate).toBeCloseTo(415 / 6, 12);
    // Wald with the design df (6 PSUs − 2 strata = 4): estimate ± qt(0.975, 4)·se.
    expect(score.df).toBe(4);
    expect(score.ciLow).toBeCloseTo(score.estimate! - 2.7764451051977987 * score.se!, 12);
    expect(recs[0]).toMatchObject({ kind: 'proportion', ciMethod: 'logit' });
  });

  it('a missing column → MISSING_COLUMN', () => {
    let code = '';
    try {
      estimate({ columns, design, method: 'linearization', variables: ['nope'] });
    } catch (e) {
      code = (e as StatsError).code;
    }
    expect(code).toBe('MISSING_COLUMN');
  });
});

describe('issue 16 example: exact answers at the edges, by hand', () => {
  // w,g,y = 1.6,a,0 / 11.6,a,0 / 14.7,b,1 / 45.9,b,0; design {weights: w} (R: svydesign(ids = ~1, weights = ~w)).
  const columns = { w: [1.6, 11.6, 14.7, 45.9], g: ['a', 'a', 'b', 'b'], y: [0, 0, 1, 0] };
  const recs = estimate({
    columns,
    design: { weights: 'w' },
    method: 'linearization',
    by: ['g'],
    variables: ['y'],
  });
  const a = recs.find((r) => r.domain === 'a')!;
  const b = recs.find((r) => r.domain === 'b')!;

  it('domain a is exactly 0 with se 0, no deff, no interval, and says why', () => {
    expect(a).toMatchObject({
      n: 2,
      estimate: 0,
      se: 0,
      deff: null,
      ciLow: null,
      ciHigh: null,
      flags: ['all_zero'],
    });
  });

  it('domain b: p = 14.7/60.6; with ids = ~1 every row is a PSU, so V = n/(n−1)·Σu² = (4/3)·2·(14.7·45.9/60.6²)²', () => {
    expect(b.estimate).toBeCloseTo(14.7 / 60.6, 15);
    const u = (14.7 * 45.9) / 60.6 ** 2;
    expect(b.se).toBeCloseTo(Math.sqrt((4 / 3) * 2 * u * u), 14);
    expect(b.flags).toEqual([]);
  });

  it('no estimate leaves [0, 1] and no deff is negative, whatever the weights', () => {
    for (const scale of [1e-12, 1, 1e12]) {
      const out = estimate({
        columns: { ...columns, w: columns.w.map((x) => x * scale) },
        design: { weights: 'w' },
        method: 'linearization',
        by: ['g'],
        variables: ['y'],
      });
      for (const r of out) {
        expect(r.estimate).toBeGreaterThanOrEqual(0);
        expect(r.estimate).toBeLessThanOrEqual(1);
        if (r.deff !== null) expect(r.deff).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
