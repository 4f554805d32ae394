import { describe, expect, it } from 'vitest';
import { completionOf, type StatusInput, statusOf } from './status';

const base: StatusInput = { comparator: '>=', actual: 0, expected: 10, from: 0, target: 20, isFinal: false };
const run = (p: Partial<StatusInput>) => {
  const { status, rule } = statusOf({ ...base, ...p });
  return [status, rule];
};

describe('statusOf', () => {
  it('">=": met, on track, inside the 15% band, below it, overdue', () => {
    expect(run({ actual: 20 })).toEqual(['green', 'met']);
    expect(run({ actual: 25, isFinal: true })).toEqual(['green', 'met']);
    expect(run({ actual: 10 })).toEqual(['green', 'on_track']);
    expect(run({ actual: 8.5 })).toEqual(['yellow', 'within_band']);
    expect(run({ actual: 8.49 })).toEqual(['red', 'below_band']);
    expect(run({ actual: 19.9, expected: 20, isFinal: true })).toEqual(['red', 'overdue']);
  });

  it('the band is measured from the line start (baseline), and is configurable', () => {
    // Line 11.7 → 15.5; expected 13.6: progress asked 1.9, 85% of it is 1.615 → bar 13.315.
    const rate = { from: 11.7, expected: 13.6, target: 15.5 };
    expect(run({ ...rate, actual: 13.32 })).toEqual(['yellow', 'within_band']);
    expect(run({ ...rate, actual: 13.3 })).toEqual(['red', 'below_band']);
    expect(statusOf({ ...base, ...rate, actual: 13.32 }).ratio).toBeCloseTo(1.62 / 1.9, 12);
    expect(run({ actual: 7, thresholds: { yellowBand: 0.3 } })).toEqual(['yellow', 'within_band']);
    expect(run({ actual: 7 })).toEqual(['red', 'below_band']);
  });

  it('"=" is judged like ">=" (overshoot is still green)', () => {
    expect(run({ comparator: '=', actual: 30 })).toEqual(['green', 'met']);
    expect(run({ comparator: '=', actual: 9 })).toEqual(['yellow', 'within_band']);
    expect(run({ comparator: '=', actual: 10, expected: 20, isFinal: true })).toEqual(['red', 'overdue']);
  });

  it('"≈": ±5% of the target is met, above it yellow, the green bar lowered by the tolerance', () => {
    expect(run({ comparator: '≈', actual: 19 })).toEqual(['green', 'met']);
    expect(run({ comparator: '≈', actual: 21 })).toEqual(['green', 'met']);
    expect(run({ comparator: '≈', actual: 21.01 })).toEqual(['yellow', 'above_approx']);
    expect(run({ comparator: '≈', actual: 9.5 })).toEqual(['green', 'on_track']);
    expect(run({ comparator: '≈', actual: 9.4 })).toEqual(['yellow', 'within_band']);
    expect(run({ comparator: '≈', actual: 18.9, expected: 20, isFinal: true })).toEqual(['red', 'overdue']);
    expect(run({ comparator: '≈', actual: 18.9, thresholds: { approxTolerance: 0.1 } })).toEqual([
      'green',
      'met',
    ]);
  });

  it('"<=": inverted — at or under the line green, over a rising cap red, final judged on the target', () => {
    expect(run({ comparator: '<=', actual: 10 })).toEqual(['green', 'on_track']);
    expect(run({ comparator: '<=', actual: 11.5 })).toEqual(['yellow', 'within_band']);
    expect(run({ comparator: '<=', actual: 11.6 })).toEqual(['red', 'below_band']);
    expect(run({ comparator: '<=', actual: 21 })).toEqual(['red', 'over_cap']);
    expect(run({ comparator: '<=', actual: 20, expected: 20, isFinal: true })).toEqual(['green', 'met']);
    expect(run({ comparator: '<=', actual: 20.1, expected: 20, isFinal: true })).toEqual(['red', 'overdue']);
    // A falling line 100 → 50: 80 when 75 is expected is 5 over, band 15% of 25 = 3.75 → red; 78 → yellow.
    const falling = { comparator: '<=' as const, from: 100, expected: 75, target: 50 };
    expect(run({ ...falling, actual: 78 })).toEqual(['yellow', 'within_band']);
    expect(run({ ...falling, actual: 80 })).toEqual(['red', 'below_band']);
  });

  it('with a confidence interval the interval decides', () => {
    const e = { expected: 14, target: 15.5 };
    expect(run({ ...e, actual: 16, ci: { low: 15.6, high: 16.4 } })).toEqual(['green', 'met']);
    expect(run({ ...e, actual: 15, ci: { low: 14.1, high: 15.9 } })).toEqual(['green', 'ci_clear']);
    expect(run({ ...e, actual: 14.5, ci: { low: 13.5, high: 15.5 } })).toEqual(['yellow', 'ci_straddles']);
    expect(run({ ...e, actual: 13, ci: { low: 12.1, high: 13.9 } })).toEqual(['red', 'ci_short']);
    // the point estimate 15.6 ≥ target, but the interval reaches below the line: not green
    expect(run({ ...e, actual: 15.6, ci: { low: 13.9, high: 17.3 } })).toEqual(['yellow', 'ci_straddles']);
    expect(run({ ...e, comparator: '<=', actual: 13, ci: { low: 12, high: 13.5 } })).toEqual([
      'green',
      'ci_clear',
    ]);
    expect(
      run({
        comparator: '<=',
        actual: 15,
        ci: { low: 14, high: 15.5 },
        expected: 15.5,
        target: 15.5,
        isFinal: true,
      }),
    ).toEqual(['green', 'met']);
    expect(run({ ...e, comparator: '<=', actual: 15, ci: { low: 14.2, high: 15.8 } })).toEqual([
      'red',
      'ci_short',
    ]);
    expect(run({ ...e, comparator: '<=', actual: 14, ci: { low: 13, high: 15 } })).toEqual([
      'yellow',
      'ci_straddles',
    ]);
    expect(run({ ...e, comparator: '≈', actual: 13, ci: { low: 12, high: 13.4 } })).toEqual([
      'green',
      'ci_clear',
    ]);
    expect(run({ ...e, comparator: '≈', actual: 12, ci: { low: 11, high: 13.2 } })).toEqual([
      'red',
      'ci_short',
    ]);
    expect(run({ ...e, comparator: '≈', actual: 16, ci: { low: 14.8, high: 17 } })).toEqual([
      'yellow',
      'above_approx',
    ]);
  });
});

describe('completionOf', () => {
  it('is the share of the way from the line start to the target, clamped to [0, 1]', () => {
    expect(completionOf('>=', 9, 15, 0)).toBeCloseTo(0.6, 12);
    expect(completionOf('>=', 30, 15, 0)).toBe(1);
    expect(completionOf('>=', 13.6, 15.5, 11.7)).toBeCloseTo(0.5, 12);
    expect(completionOf('>=', 10, 15.5, 11.7)).toBe(0);
    expect(completionOf('≈', 19.5, 20, 0)).toBe(1);
    expect(completionOf('<=', 8, 10, 0)).toBe(1);
    expect(completionOf('<=', 20, 10, 0)).toBeCloseTo(0.5, 12);
    expect(completionOf('<=', 75, 50, 100)).toBeCloseTo(0.5, 12);
  });
});
