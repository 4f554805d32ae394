import { describe, expect, it } from 'vitest';
import { detectAnomalies, evaluateIndicator } from './evaluate';
import {
  type Comparator,
  EvaluationResultSchema,
  type Indicator,
  type IndicatorKind,
  type Observation,
  type PopulationTable,
} from './schema';

function buildIndicator(partial: Partial<Indicator> = {}): Indicator {
  return {
    id: 'ind-1',
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

function obs(value: number, period: string | number, extra: Partial<Observation> = {}): Observation {
  return {
    value,
    period,
    source: { kind: 'report', ref: 'r1', label: '市教育局报告' },
    approved: true,
    ...extra,
  };
}

describe('evaluateIndicator: every kind × every comparator', () => {
  // Each kind is set up so that on 2025-12-31 the expected-to-date value equals the target (100 units / 80%).
  const setups: Record<
    IndicatorKind,
    { indicator: Partial<Indicator>; observe: (v: number) => Observation }
  > = {
    cumulative: {
      indicator: { kind: 'cumulative', targetValue: 100, startDate: '2025-01-01', deadline: '2025-12-31' },
      observe: (v) => obs(v, '2025-12-01'),
    },
    annual: {
      indicator: { kind: 'annual', targetValue: 100, deadline: null },
      observe: (v) => obs(v, 2025),
    },
    population_share: {
      // population 1000: a numerator of 10·v gives a share of v%
      indicator: { kind: 'population_share', targetValue: 100, unit: '%', deadline: null },
      observe: (v) => obs(10 * v, 2025),
    },
    survey_rate: {
      indicator: { kind: 'survey_rate', targetValue: 100, unit: '%', deadline: '2025-12-31' },
      observe: (v) => obs(v, 2025, { source: { kind: 'survey', ref: 'w1', label: '2025年调查' } }),
    },
  };
  const population: PopulationTable = [{ county: null, year: 2025, population: 1000 }];
  const cases: [Comparator, number, string, string][] = [
    ['>=', 100, 'green', 'met'],
    ['>=', 90, 'yellow', 'within_band'],
    ['>=', 80, 'red', 'below_band'],
    ['=', 120, 'green', 'met'],
    ['=', 84, 'red', 'below_band'],
    ['≈', 104, 'green', 'met'],
    ['≈', 110, 'yellow', 'above_approx'],
    ['≈', 80, 'red', 'below_band'],
    ['<=', 100, 'green', 'on_track'],
    ['<=', 101, 'red', 'over_cap'],
  ];
  for (const kind of Object.keys(setups) as IndicatorKind[]) {
    for (const [comparator, value, status, rule] of cases) {
      it(`${kind} ${comparator} ${value} → ${status} (${rule})`, () => {
        const setup = setups[kind];
        const indicator = buildIndicator({ ...setup.indicator, comparator });
        const r = evaluateIndicator(indicator, [setup.observe(value)], { asOf: '2025-12-31', population });
        expect(r.expected).toBeCloseTo(100, 9);
        expect(r.actual).toBeCloseTo(value, 9);
        expect([r.status, r.explanation.rule]).toEqual([status, rule]);
        expect(EvaluationResultSchema.safeParse(r).success).toBe(true);
      });
    }
  }

  it('survey rate with a CI is judged on the interval, for every comparator', () => {
    const indicator = (comparator: Comparator) =>
      buildIndicator({
        kind: 'survey_rate',
        comparator,
        targetValue: 15.5,
        unit: '%',
        deadline: '2025-12-31',
      });
    const wave = (v: number, low: number, high: number) =>
      obs(v, 2025, { ci: { low, high }, source: { kind: 'survey', ref: 'w', label: '2025年调查' } });
    const at = { asOf: '2025-12-31' };
    expect(evaluateIndicator(indicator('>='), [wave(16, 15.6, 16.4)], at).status).toBe('green');
    expect(evaluateIndicator(indicator('>='), [wave(16, 14.9, 17.1)], at).status).toBe('yellow');
    expect(evaluateIndicator(indicator('='), [wave(14, 13, 15)], at).status).toBe('red');
    expect(evaluateIndicator(indicator('≈'), [wave(15, 14, 15.2)], at).status).toBe('green');
    expect(evaluateIndicator(indicator('<='), [wave(14, 13, 15)], at).status).toBe('green');
    const r = evaluateIndicator(indicator('>='), [wave(16, 14.9, 17.1)], at);
    expect(r.ci).toEqual({ low: 14.9, high: 17.1 });
    expect(r.explanation.inputs).toMatchObject({ ciLow: 14.9, ciHigh: 17.1 });
  });
});

describe('explanations in Chinese', () => {
  it('after the deadline gives the final verdict (终期) instead of 序时进度', () => {
    const indicator = buildIndicator({ startDate: '2022-05-13' });
    const short = evaluateIndicator(indicator, [obs(9, '2025-12-20')], { asOf: '2026-03-31' });
    expect(short.explanation.text).toContain('终期：未完成，差 6所（完成目标的 60%）');
    expect(short.explanation.text).not.toContain('序时进度应');
    const met = evaluateIndicator(indicator, [obs(16, '2025-12-20')], { asOf: '2026-03-31' });
    expect(met.explanation.text).toContain('终期：已完成');
    expect(met.status).toBe('green');
    // Before the deadline: 序时进度 as ever.
    const during = evaluateIndicator(indicator, [obs(9, '2025-06-30')], { asOf: '2025-06-30' });
    expect(during.explanation.text).toContain('序时进度应完成');
    expect(during.explanation.text).not.toContain('终期');
  });

  it('writes the example sentence of the issue (9 of 15, 序时进度 10.5, yellow)', () => {
    // 20 days from 2025-12-12 to 2025-12-31; on 2025-12-25 14 have passed: 15 × 14/20 = 10.5.
    const indicator = buildIndicator({ startDate: '2025-12-12' });
    const r = evaluateIndicator(indicator, [obs(9, '2025-12-20')], { asOf: '2025-12-25' });
    expect(r.expected).toBeCloseTo(10.5, 12);
    expect(r.status).toBe('yellow');
    // Schools are counted whole: 序时进度 10.5 reads 11所 (the ratio stays on the exact 10.5).
    expect(r.explanation.text).toBe(
      '累计完成 9所（2025-12-20，市教育局报告） / 目标 15所以上（截至 2025-12-31），序时进度应完成 11所（已过 14/20 天），' +
        '完成 9所 为序时进度的 85.7%，低于序时进度但不低于其 85%，亮黄灯',
    );
    expect(r.explanation.inputs).toMatchObject({
      actual: 9,
      expected: 10.5,
      elapsedDays: 14,
      totalDays: 20,
      target: 15,
    });
    expect(r.explanation.formula).toContain('elapsedDays / totalDays');
  });

  it('says red below the band, and names the rule for overdue, annual reset and missing population', () => {
    const indicator = buildIndicator({ startDate: '2025-12-12' });
    expect(
      evaluateIndicator(indicator, [obs(8, '2025-12-20')], { asOf: '2025-12-25' }).explanation.text,
    ).toMatch(/完成 8所 为序时进度的 76.2%，低于序时进度的 85%，亮红灯$/);
    expect(
      evaluateIndicator(indicator, [obs(14, '2025-12-20')], { asOf: '2026-01-01' }).explanation.text,
    ).toMatch(/已过截止日期 2025-12-31，仍未达到目标，亮红灯$/);
    const annual = buildIndicator({ kind: 'annual', targetValue: 300, unit: '人', deadline: null });
    expect(evaluateIndicator(annual, [obs(300, 2024)], { asOf: '2025-01-01' }).explanation.text).toBe(
      '2025 年尚无填报数据（往年数据不结转），无数据，不亮灯',
    );
    const share = buildIndicator({ kind: 'population_share', targetValue: 80, unit: '%', deadline: null });
    expect(evaluateIndicator(share, [obs(500, 2025)], { asOf: '2025-06-30' }).explanation.text).toBe(
      '缺少全市 2025 年常住人口数据，无法计算，无数据，不亮灯',
    );
  });

  it('explains a survey rate against its baseline line at the survey date', () => {
    const indicator = buildIndicator({
      kind: 'survey_rate',
      targetValue: 15.5,
      unit: '%',
      baseline: { value: 11.7, year: 2020 },
    });
    const wave = obs(14.1, 2023, {
      ci: { low: 13.2, high: 15 },
      source: { kind: 'survey', ref: 'wave-2023', label: '2023年公民科学素质调查' },
    });
    const r = evaluateIndicator(indicator, [wave], { asOf: '2025-06-30' });
    // line 2021-01-01 → 2025-12-31 (1826 days), at 2023-12-31: 1095 days → 11.7 + 3.8 × 1095/1826 = 13.98…
    expect(r.expected).toBeCloseTo(11.7 + (3.8 * 1095) / 1826, 12);
    expect(r.status).toBe('yellow');
    expect(r.explanation.text).toBe(
      '调查估计 14.1%（95%置信区间 13.2–15%，2023年，2023年公民科学素质调查），目标 15.5%以上（截至 2025-12-31），' +
        '序时进度应达到 13.98%（已过 1095/1826 天，按 2023-12-31 计，基线 11.7%（2020年）），置信区间跨越序时进度，尚不能判断，亮黄灯',
    );
    // after the deadline the same estimate is judged against the target itself
    const late = evaluateIndicator(indicator, [wave], { asOf: '2026-01-01' });
    expect([late.status, late.explanation.rule, late.expected]).toEqual(['red', 'ci_short', 15.5]);
  });
});

describe('year boundaries', () => {
  const annual = buildIndicator({ kind: 'annual', targetValue: 300, unit: '人', deadline: null });

  it('Dec 31 counts the whole year; Jan 1 starts a fresh year with no data', () => {
    const dec31 = evaluateIndicator(annual, [obs(290, 2024)], { asOf: '2024-12-31' });
    expect([dec31.status, dec31.expected, dec31.year]).toEqual(['yellow', 300, 2024]);
    const jan1 = evaluateIndicator(annual, [obs(290, 2024)], { asOf: '2025-01-01' });
    expect([jan1.status, jan1.actual, jan1.year, jan1.explanation.rule]).toEqual([
      'no_data',
      null,
      2025,
      'no_observation',
    ]);
    const fresh = evaluateIndicator(annual, [obs(290, 2024), obs(1, '2025-01-01')], { asOf: '2025-01-01' });
    expect(fresh.actual).toBe(1);
    expect(fresh.expected).toBeCloseTo(300 / 365, 12);
    expect(fresh.status).toBe('green');
  });

  it('leap year: 2024-02-29 is day 60 of 366', () => {
    // 300 × 60/366 = 49.18: 50 is ahead, 45 (91.5%) inside the band, 40 (81.3%) below it
    const r = evaluateIndicator(annual, [obs(50, '2024-02-29')], { asOf: '2024-02-29' });
    expect(r.expected).toBeCloseTo((300 * 60) / 366, 12);
    expect(r.elapsedShare).toBeCloseTo(60 / 366, 12);
    expect(r.status).toBe('green');
    expect(evaluateIndicator(annual, [obs(45, '2024-02-29')], { asOf: '2024-02-29' }).status).toBe('yellow');
    expect(evaluateIndicator(annual, [obs(40, '2024-02-29')], { asOf: '2024-02-29' }).status).toBe('red');
    // the same day count in a common year: 2025-03-01 is day 60 of 365
    expect(evaluateIndicator(annual, [obs(50, '2025-03-01')], { asOf: '2025-03-01' }).expected).toBeCloseTo(
      (300 * 60) / 365,
      12,
    );
  });

  it('a past year is judged final against the full target; full_year basis compares with the whole target', () => {
    const past = evaluateIndicator(annual, [obs(290, 2024)], { asOf: '2025-03-01', year: 2024 });
    expect([past.status, past.isFinal, past.explanation.rule]).toEqual(['red', true, 'overdue']);
    expect(past.explanation.text).toMatch(/2024 年度已结束，未达到年度目标，亮红灯$/);
    const mid = [obs(150, '2025-06-30')];
    expect(evaluateIndicator(annual, mid, { asOf: '2025-06-30' }).status).toBe('green');
    const full = evaluateIndicator(annual, mid, { asOf: '2025-06-30', annualBasis: 'full_year' });
    expect([full.status, full.expected]).toEqual(['red', 300]);
    expect(full.explanation.text).toContain('按全年目标考核');
  });

  it('cumulative: on the deadline still within the band, the day after it final', () => {
    const ind = buildIndicator({});
    const onDeadline = evaluateIndicator(ind, [obs(14, '2025-12-31')], { asOf: '2025-12-31' });
    expect([onDeadline.status, onDeadline.isFinal]).toEqual(['yellow', false]);
    const after = evaluateIndicator(ind, [obs(14, '2025-12-31')], { asOf: '2026-01-01' });
    expect([after.status, after.isFinal, after.explanation.rule]).toEqual(['red', true, 'overdue']);
    const met = evaluateIndicator(ind, [obs(15, '2025-12-31')], { asOf: '2027-01-01' });
    expect([met.status, met.isFinal, met.progress]).toEqual(['green', true, 1]);
  });
});

describe('missing data and carry-forward', () => {
  it('no value ever → no data, not 0 and not red', () => {
    const r = evaluateIndicator(buildIndicator({}), [], { asOf: '2024-06-30' });
    expect([r.status, r.actual, r.progress, r.expected]).toEqual(['no_data', null, null, null]);
  });

  it('cumulative carries the latest earlier value forward; annual does not', () => {
    const cumulative = evaluateIndicator(buildIndicator({}), [obs(6, 2023), obs(9, '2024-12-31')], {
      asOf: '2025-06-30',
    });
    expect(cumulative.actual).toBe(9);
    expect(cumulative.explanation.text).toContain('累计完成 9所（2024-12-31');
    const annual = buildIndicator({ kind: 'annual', targetValue: 300, deadline: null });
    expect(evaluateIndicator(annual, [obs(280, '2024-12-31')], { asOf: '2025-06-30' }).status).toBe(
      'no_data',
    );
  });

  it('ignores values not yet known on asOf, and prefers the approved one of the same period', () => {
    const r = evaluateIndicator(buildIndicator({}), [obs(6, '2024-06-30'), obs(12, '2024-07-01')], {
      asOf: '2024-06-30',
    });
    expect(r.actual).toBe(6);
    const tie = evaluateIndicator(
      buildIndicator({}),
      [obs(7, '2024-06-30'), obs(5, '2024-06-30', { approved: false })],
      { asOf: '2024-06-30' },
    );
    expect(tie.actual).toBe(7);
  });

  it('a survey estimate stands until the next wave', () => {
    const indicator = buildIndicator({ kind: 'survey_rate', targetValue: 15.5, unit: '%' });
    const r = evaluateIndicator(indicator, [obs(13, 2022), obs(14.1, 2023)], { asOf: '2025-06-30' });
    expect([r.actual, r.observation?.period]).toEqual([14.1, 2023]);
  });
});

describe('population share', () => {
  const share = buildIndicator({
    kind: 'population_share',
    targetValue: 80,
    unit: '%',
    deadline: null,
    byCounty: true,
  });
  const population: PopulationTable = [
    { county: '320311', year: 2025, population: 619784 },
    { county: '320312', year: 2025, population: 1000000 },
    { county: '320312', year: 2024, population: 990000 },
    { county: '320321', year: 2024, population: 900000 },
  ];
  const names = { '320311': '泉山区', '320312': '铜山区', '320321': '丰县', '320322': '沛县' };
  const observations = [
    obs(619784, 2025, { county: '320311' }),
    obs(300000, 2025, { county: '320312' }),
    obs(500000, 2025, { county: '320321' }),
  ];

  it('divides by the population of that county and year; a missing year is no data, never borrowed', () => {
    const r = evaluateIndicator(share, observations, {
      asOf: '2025-12-31',
      population,
      counties: ['320311', '320312', '320321', '320322'],
      countyNames: names,
    });
    const byCounty = Object.fromEntries(r.counties.map((c) => [c.county, [c.status, c.actual]]));
    expect(byCounty['320311']).toEqual(['green', 100]);
    expect(byCounty['320312']).toEqual(['red', 30]);
    expect(byCounty['320321']).toEqual(['no_data', null]); // only a 2024 population exists
    expect(byCounty['320322']).toEqual(['no_data', null]); // no report at all
    expect(r.counties.find((c) => c.county === '320321')?.explanation.rule).toBe('no_population');
    expect(r.countiesWithoutData).toEqual(['320321', '320322']);
    expect([r.status, r.explanation.rule]).toEqual(['red', 'worst_county']);
    expect(r.actual).toBeCloseTo((100 * 919784) / 1619784, 9);
    expect(r.explanation.text).toContain('2 个县区无数据（丰县、沛县）');
    expect(r.explanation.text).toContain('按最差县区亮灯（铜山区 30%');
  });

  it('without any population table nothing is computed', () => {
    const r = evaluateIndicator(share, observations, { asOf: '2025-12-31' });
    expect([r.status, r.actual, r.countiesWithoutData.length]).toEqual(['no_data', null, 3]);
    expect(r.explanation.rule).toBe('no_counties');
  });
});

describe('count indicators by county', () => {
  it('sums the counties for the city and judges a county only against its own target', () => {
    const ind = buildIndicator({
      kind: 'annual',
      targetValue: 300,
      unit: '人',
      deadline: null,
      byCounty: true,
      countyTargets: { a: 100 },
    });
    const r = evaluateIndicator(ind, [obs(100, 2025, { county: 'a' }), obs(150, 2025, { county: 'b' })], {
      asOf: '2025-12-31',
      counties: ['a', 'b', 'c'],
    });
    expect([r.actual, r.status]).toEqual([250, 'red']);
    expect(r.counties.map((c) => [c.county, c.status, c.actual])).toEqual([
      ['a', 'green', 100],
      ['b', 'no_data', 150],
      ['c', 'no_data', null],
    ]);
    expect(r.countiesWithoutData).toEqual(['c']);
  });

  it('without byCounty, county rows are not mixed into the city value', () => {
    const r = evaluateIndicator(buildIndicator({}), [obs(3, '2024-06-30', { county: 'a' })], {
      asOf: '2024-06-30',
    });
    expect(r.status).toBe('no_data');
  });
});

describe('anomalies', () => {
  it('flags a cumulative value lower than the last approved one, returned not thrown', () => {
    const list = [obs(9, '2024-06-30'), obs(7, '2024-12-31', { approved: false })];
    const r = evaluateIndicator(buildIndicator({}), list, { asOf: '2024-12-31' });
    expect(r.actual).toBe(7);
    expect(r.anomalies).toEqual([
      expect.objectContaining({
        kind: 'cumulative_decrease',
        value: 7,
        previousValue: 9,
        previousPeriod: '2024-06-30',
      }),
    ]);
    expect(r.anomalies[0]?.message).toBe(
      '累计值 7（2024-12-31）低于已审核的 9（2024-06-30），累计数不应减少，请核实',
    );
  });

  it('does not flag a fall below an unapproved value, a rise, another county, or an annual reset', () => {
    expect(detectAnomalies(buildIndicator({}), [obs(9, 2023, { approved: false }), obs(7, 2024)])).toEqual(
      [],
    );
    expect(detectAnomalies(buildIndicator({}), [obs(7, 2023), obs(9, 2024)])).toEqual([]);
    expect(
      detectAnomalies(buildIndicator({}), [obs(9, 2023, { county: 'a' }), obs(7, 2024, { county: 'b' })]),
    ).toEqual([]);
    expect(detectAnomalies(buildIndicator({ kind: 'annual' }), [obs(300, 2024), obs(10, 2025)])).toEqual([]);
  });

  it('flags a lower unapproved correction of the same period, and negative values', () => {
    const same = detectAnomalies(buildIndicator({}), [obs(9, 2024), obs(8, 2024, { approved: false })]);
    expect(same.map((a) => a.kind)).toEqual(['cumulative_decrease']);
    const negative = detectAnomalies(buildIndicator({ kind: 'annual' }), [obs(-5, 2024)]);
    expect(negative.map((a) => [a.kind, a.value])).toEqual([['negative_value', -5]]);
  });
});

describe('inputs', () => {
  it('refuses an asOf that is not a calendar date', () => {
    expect(() => evaluateIndicator(buildIndicator({}), [], { asOf: '2025-02-29' })).toThrow(RangeError);
  });
});
