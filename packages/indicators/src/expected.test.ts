import { describe, expect, it } from 'vitest';
import { expectedProgress } from './expected';
import type { Indicator } from './schema';

function indicator(partial: Partial<Indicator>): Indicator {
  return {
    id: 'i1',
    kind: 'cumulative',
    comparator: '>=',
    targetValue: 15,
    unit: '所',
    deadline: '2025-12-31',
    startDate: '2022-01-01',
    baseline: null,
    byCounty: false,
    ...partial,
  };
}

describe('expectedProgress (序时进度)', () => {
  it('cumulative: linear from 0 on the start date to the target on the deadline, both days counted', () => {
    const ind = indicator({});
    expect(expectedProgress(ind, '2022-01-01')).toMatchObject({
      basis: 'line',
      elapsedDays: 1,
      totalDays: 1461,
    });
    expect(expectedProgress(ind, '2022-01-01').expected).toBeCloseTo(15 / 1461, 12);
    expect(expectedProgress(ind, '2023-12-31').expected).toBeCloseTo((15 * 730) / 1461, 12);
    expect(expectedProgress(ind, '2025-12-31')).toMatchObject({
      expected: 15,
      elapsedShare: 1,
      isFinal: false,
    });
    expect(expectedProgress(ind, '2026-01-01')).toMatchObject({
      expected: 15,
      elapsedShare: 1,
      isFinal: true,
    });
    expect(expectedProgress(ind, '2021-12-31')).toMatchObject({ expected: 0, elapsedDays: 0 });
  });

  it('starts the line on January 1 after the baseline year, from the baseline value', () => {
    const ind = indicator({
      kind: 'survey_rate',
      targetValue: 15.5,
      unit: '%',
      baseline: { value: 11.7, year: 2020 },
    });
    const ep = expectedProgress(ind, '2023-12-31');
    expect(ep).toMatchObject({ fromDate: '2021-01-01', from: 11.7, elapsedDays: 1095, totalDays: 1826 });
    expect(ep.expected).toBeCloseTo(11.7 + (3.8 * 1095) / 1826, 12);
  });

  it('a survey rate without baseline, and any indicator without deadline, has no line: the target', () => {
    expect(
      expectedProgress(indicator({ kind: 'survey_rate', targetValue: 15.5 }), '2023-06-30'),
    ).toMatchObject({
      basis: 'flat',
      expected: 15.5,
    });
    expect(expectedProgress(indicator({ deadline: null }), '2030-06-30')).toMatchObject({
      basis: 'flat',
      expected: 15,
      isFinal: false,
    });
  });

  it('annual: elapsed share of the calendar year, leap years included, resetting on January 1', () => {
    const ind = indicator({ kind: 'annual', targetValue: 300, deadline: null });
    expect(expectedProgress(ind, '2024-02-29').expected).toBeCloseTo((300 * 60) / 366, 12);
    expect(expectedProgress(ind, '2024-12-31')).toMatchObject({ expected: 300, year: 2024, isFinal: false });
    const jan1 = expectedProgress(ind, '2025-01-01');
    expect(jan1.year).toBe(2025);
    expect(jan1.expected).toBeCloseTo(300 / 365, 12);
  });

  it('annual: an earlier year is over (final); full_year compares with the whole target', () => {
    const ind = indicator({ kind: 'annual', targetValue: 300, deadline: null });
    expect(expectedProgress(ind, '2025-03-01', { year: 2024 })).toMatchObject({
      expected: 300,
      elapsedShare: 1,
      isFinal: true,
      year: 2024,
    });
    expect(expectedProgress(ind, '2025-03-01', { annualBasis: 'full_year' })).toMatchObject({
      basis: 'full_year',
      expected: 300,
      isFinal: false,
    });
  });
});
