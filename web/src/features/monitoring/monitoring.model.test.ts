import { XUZHOU_BASELINES } from '@kesu/shared';
import { describe, expect, it } from 'vitest';
import {
  applyDesignFile,
  type DesignFile,
  estimateNotes,
  formatEstimate,
  gapToTarget,
  rateTargetOf,
  marginsToRoles,
  parseDesignFile,
  sampleWarnings,
  targetVerdict,
  trendOption,
} from './monitoring.model';
import { XUZHOU_RATE_TARGET } from './monitoring.fixtures';

describe('monitoring model', () => {
  it('formats a rate with its CI as percentages with two decimals', () => {
    // R survey 4.1, fixture "standard", overall linearization literate.
    const e = {
      kind: 'proportion' as const,
      estimate: 0.103020030000274,
      ciLow: 0.0813156384812976,
      ciHigh: 0.129699768256662,
    };
    expect(formatEstimate(e)).toBe('10.30% [8.13%, 12.97%]');
    // A mean (the score) with its Wald interval; an exact 0 without one.
    expect(formatEstimate({ kind: 'mean', estimate: 36.5761448966713, ciLow: 34.51, ciHigh: 38.64 })).toBe(
      '36.58 [34.51, 38.64]',
    );
    expect(formatEstimate({ kind: 'proportion', estimate: 0, ciLow: null, ciHigh: null })).toBe('0.00%');
  });

  it('says in Chinese why a row is special, with its method; nothing for an ordinary proportion', () => {
    expect(
      estimateNotes({ kind: 'proportion', ciMethod: 'logit', flags: [], method: 'linearization' }),
    ).toEqual([]);
    const zero = estimateNotes({ kind: 'proportion', ciMethod: null, flags: ['all_zero'], method: 'raking' });
    expect(zero.map((n) => n.label)).toEqual(['全为 0']);
    expect(zero[0]!.text).toContain('恰为 0');
    expect(zero[0]!.text).toContain('raking');
    const mean = estimateNotes({ kind: 'mean', ciMethod: 'wald', flags: [], method: 'linearization' });
    expect(mean.map((n) => n.label)).toEqual(['均值·Wald 区间']);
  });

  it('refuses a design.json with an unknown key, naming it, and fills two stages', () => {
    const bad = parseDesignFile('{"weights": "w", "fpc2": "n2"}');
    expect('error' in bad && bad.error).toContain('「fpc2」');
    expect('error' in parseDesignFile('{"weights": ')).toBe(true);
    const ok = parseDesignFile(
      '{"weights": "w", "clusters": ["village", "household"], "fpc": ["n1", "n2"], "nest": true}',
    );
    expect('design' in ok).toBe(true);
    if (!('design' in ok)) return;
    const header = ['w', 'village', 'household', 'n1', 'n2'];
    expect(applyDesignFile({}, header, ok.design)).toEqual({
      weight: 'w',
      psu: 'village',
      psu2: 'household',
      fpc: 'n1',
      fpc2: 'n2',
    });
  });

  it('warns on n < 30 and on CV > 0.3, and only then', () => {
    expect(sampleWarnings({ n: 29, cv: 0.1 })).toHaveLength(1);
    expect(sampleWarnings({ n: 30, cv: 0.3 })).toEqual([]);
    expect(sampleWarnings({ n: 12, cv: 0.31 })).toHaveLength(2);
  });

  // The plan's own survey-rate indicator, as the server gives it (徐政发〔2022〕13号: 15.5% by 2025).
  const target = rateTargetOf(XUZHOU_RATE_TARGET)!;

  it("measures the gap to the plan's target and says when the CI decides it", () => {
    expect(target).toEqual({ label: '规划 2025 年目标', value: 15.5, year: 2025 });
    expect(rateTargetOf(null)).toBeNull();
    expect(gapToTarget(0.103, target)).toBeCloseTo(-5.2, 10);
    expect(targetVerdict({ estimate: 0.1, ciLow: 0.08, ciHigh: 0.12 }, target)).toBe('below');
    expect(targetVerdict({ estimate: 0.16, ciLow: 0.15, ciHigh: 0.17 }, target)).toBe('unclear');
    expect(targetVerdict({ estimate: 0.2, ciLow: 0.16, ciHigh: 0.24 }, target)).toBe('above');
  });

  it('charts the plan baselines as published points without CI beside the waves', () => {
    const opt = trendOption([{ year: 2024, name: 'w', estimate: 0.103, ciLow: 0.081, ciHigh: 0.13 }], target);
    const years = (opt.xAxis as { data: string[] }).data;
    expect(years).toEqual(expect.arrayContaining(['2010', '2015', '2020', '2024', '2025']));
    const series = opt.series as { name: string; data: unknown[] }[];
    const base = series.find((s) => s.name.includes('规划基线'))!;
    expect(base.name).toContain('无 CI');
    expect(base.data[years.indexOf('2015')]).toBe(XUZHOU_BASELINES.points[1]!.value);
    const ci = series.find((s) => s.name === '95% 置信区间')!;
    expect(ci.data[years.indexOf('2024')]).toEqual([10.3, 10.3, 8.1, 13]);
    expect(ci.data[years.indexOf('2015')]).toEqual(['-', '-', '-', '-']);
  });

  it('pre-fills the mapping from design.json and turns its margins into roles', () => {
    const header = ['w', 'stratum', 'psu', 'gender', 'literate'];
    const suggested = { weight: 'w', stratum: 'stratum', psu: 'psu', gender: 'gender', literate: 'literate' };
    const noClusters = applyDesignFile(suggested, header, {
      weights: 'w',
      strata: 'stratum',
      clusters: null,
    });
    expect(noClusters.psu).toBeUndefined();
    const design: DesignFile = {
      weights: 'w',
      raking: {
        margins: [
          { variable: 'gender', totals: { 男: 1, 女: 1 } },
          { variable: 'area', totals: { 城镇: 1 } },
        ],
      },
    };
    const { margins, unmapped } = marginsToRoles(design, { weight: 'w', gender: 'gender' });
    expect(margins).toEqual([{ variable: 'gender', totals: { 男: 1, 女: 1 } }]);
    expect(unmapped).toEqual(['area']);
  });
});
