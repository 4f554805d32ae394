import { dateOfDay, dayNumber, yearEnd, yearOf, yearStart } from './dates';
import { type AnnualBasis, type ExpectedProgress, expectedProgress } from './expected';
import { formatNumber, formatShare, lightText, targetPhrase, withUnit } from './format';
import {
  type Anomaly,
  type CountyEvaluation,
  DEFAULT_THRESHOLDS,
  type EvaluationResult,
  type Explanation,
  type Indicator,
  type Observation,
  type PopulationTable,
  type Status,
  type StatusRule,
  type Thresholds,
} from './schema';
import { completionOf, statusOf } from './status';

/**
 * Options of `evaluateIndicator`. `asOf` is the evaluation day ('YYYY-MM-DD', its end). `year` picks the calendar
 * year of an annual kind (default: asOf's; an earlier year is judged final). `counties` lists the counties expected
 * to report (those absent from the observations are shown as "no data"); `countyNames` maps ids to names for the
 * Chinese sentences.
 */
export type EvaluateOptions = {
  asOf: string;
  population?: PopulationTable;
  thresholds?: Partial<Thresholds>;
  annualBasis?: AnnualBasis;
  year?: number;
  counties?: string[];
  countyNames?: Record<string, string>;
};

/** Day from which an observation is known: its date, or January 1 of its year. */
function knownDay(o: Observation): number {
  return typeof o.period === 'number' ? dayNumber(yearStart(o.period)) : dayNumber(o.period);
}

/** Day an observation's value stands at: its date, or December 31 of its year. */
function standsAtDay(o: Observation): number {
  return typeof o.period === 'number' ? dayNumber(yearEnd(o.period)) : dayNumber(o.period);
}

function yearOfObservation(o: Observation): number {
  return typeof o.period === 'number' ? o.period : yearOf(o.period);
}

function periodText(o: Observation): string {
  return typeof o.period === 'number' ? `${o.period}年` : o.period;
}

/** The latest observation: greatest period; on a tie an approved one, then the later in the list. */
function latest(list: Observation[]): Observation | null {
  let best: Observation | null = null;
  for (const o of list) {
    if (best === null) {
      best = o;
      continue;
    }
    const d = standsAtDay(o) - standsAtDay(best);
    if (d > 0 || (d === 0 && (o.approved === true || best.approved !== true))) best = o;
  }
  return best;
}

/**
 * Anomalies in an indicator's observations, returned for review (never thrown):
 * `cumulative_decrease` — for a `cumulative` indicator, a value lower than the last approved value of the same
 * county at an earlier period (or at the same period, when the lower one is not approved): a cumulative count
 * cannot fall, so it is a typo or a changed definition; `negative_value` — any value below 0.
 */
export function detectAnomalies(indicator: Indicator, observations: Observation[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const o of observations) {
    if (o.value < 0) {
      anomalies.push({
        kind: 'negative_value',
        county: o.county ?? null,
        period: o.period,
        value: o.value,
        previousValue: null,
        previousPeriod: null,
        source: o.source,
        message: `${periodText(o)} 填报值 ${formatNumber(o.value)} 为负数`,
      });
    }
  }
  if (indicator.kind !== 'cumulative') return anomalies;
  // The last approved value before each observation, by county: approved observations sorted by (day, list
  // position), found by binary search — n log n, where comparing every pair was quadratic (30 units × 20 cycles ×
  // 10 counties = 6,000 observations took minutes). Same answer: the greatest earlier day, on a tie the later one.
  const dayOf = new Map(observations.map((o) => [o, standsAtDay(o)]));
  const approvedByCounty = new Map<string | null, { o: Observation; day: number; at: number }[]>();
  observations.forEach((o, at) => {
    if (o.approved !== true) return;
    const key = o.county ?? null;
    const list = approvedByCounty.get(key) ?? [];
    list.push({ o, day: dayOf.get(o)!, at });
    approvedByCounty.set(key, list);
  });
  for (const list of approvedByCounty.values()) list.sort((a, b) => a.day - b.day || a.at - b.at);
  for (const o of observations) {
    const day = dayOf.get(o)!;
    const list = approvedByCounty.get(o.county ?? null) ?? [];
    // An approved observation looks strictly before its day; one not approved also at its own day.
    const inclusive = o.approved !== true;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const d = list[mid]!.day;
      if (d < day || (inclusive && d === day)) lo = mid + 1;
      else hi = mid;
    }
    const last = lo > 0 ? list[lo - 1]!.o : null;
    if (last && o.value < last.value) {
      anomalies.push({
        kind: 'cumulative_decrease',
        county: o.county ?? null,
        period: o.period,
        value: o.value,
        previousValue: last.value,
        previousPeriod: last.period,
        source: o.source,
        message: `累计值 ${formatNumber(o.value)}（${periodText(o)}）低于已审核的 ${formatNumber(last.value)}（${periodText(last)}），累计数不应减少，请核实`,
      });
    }
  }
  return anomalies;
}

/** One scope (the city, or one county) evaluated. */
type ScopeEvaluation = {
  status: Status;
  rule: StatusRule;
  ruleText: string;
  actual: number | null;
  numerator: number | null;
  population: number | null;
  target: number;
  ep: ExpectedProgress;
  progress: number | null;
  observation: Observation | null;
  text: string;
  inputs: Explanation['inputs'];
};

const FORMULAS = {
  cumulative:
    'actual = 截至 asOf 最新一期累计值（无新数据时沿用最近一期）; expected = from + (target − from) × elapsedDays / totalDays（含首尾日）',
  annual:
    'actual = 本年度最新一期年内累计值（往年数据不结转）; expected = target × dayOfYear / daysInYear（含当日，闰年 366 天）',
  population_share:
    'actual = 100 × numerator / population(county, year)（人口缺失则无数据）; expected = target × dayOfYear / daysInYear',
  survey_rate:
    'actual = 最新一期调查估计（沿用至下一期）; expected = from + (target − from) × share（按调查期计算，逾期按目标）; 亮灯看置信区间',
} as const;

function ruleTextOf(
  rule: StatusRule,
  ctx: {
    indicator: Indicator;
    actual: number | null;
    ratio: number | null;
    ep: ExpectedProgress;
    target: number;
    ci: { low: number; high: number } | null;
    thresholds: Thresholds;
    county?: string;
  },
): string {
  const { indicator, ratio, ep, thresholds: t } = ctx;
  const u = indicator.unit;
  const a = ctx.actual === null ? '' : withUnit(ctx.actual, u);
  const cmp = indicator.comparator;
  const yearly = indicator.kind === 'annual' || indicator.kind === 'population_share';
  switch (rule) {
    case 'met':
      if (ctx.ci)
        return cmp === '<='
          ? `置信区间上限 ${withUnit(ctx.ci.high, u)} 未超过目标`
          : `置信区间下限 ${withUnit(ctx.ci.low, u)} 已达到目标`;
      return cmp === '<=' ? '未超过上限' : '已达到目标';
    case 'on_track':
      return cmp === '<=' ? '不高于序时进度' : '不低于序时进度';
    case 'within_band':
      if (cmp === '<=') return `实际 ${a} 高于序时进度，但在 ${formatShare(t.yellowBand)} 容差带内`;
      return ratio === null
        ? `完成 ${a} 低于序时进度，但在 ${formatShare(t.yellowBand)} 容差带内`
        : `完成 ${a} 为序时进度的 ${formatShare(ratio)}，低于序时进度但不低于其 ${formatShare(1 - t.yellowBand)}`;
    case 'below_band':
      if (cmp === '<=') return `实际 ${a} 高于序时进度，超出 ${formatShare(t.yellowBand)} 容差带`;
      return ratio === null
        ? `完成 ${a} 低于序时进度`
        : `完成 ${a} 为序时进度的 ${formatShare(ratio)}，低于序时进度的 ${formatShare(1 - t.yellowBand)}`;
    case 'overdue':
      if (yearly) return `${ep.year} 年度已结束，${cmp === '<=' ? '超过上限' : '未达到年度目标'}`;
      return `已过截止日期 ${ep.toDate}，${cmp === '<=' ? '超过上限' : '仍未达到目标'}`;
    case 'over_cap':
      return `实际 ${a} 已超过上限 ${withUnit(ctx.target, u)}`;
    case 'above_approx':
      return ctx.ci
        ? `置信区间下限 ${withUnit(ctx.ci.low, u)} 高于序时进度 ±${formatShare(t.approxTolerance)} 范围`
        : `实际 ${a} 超出目标 ${withUnit(ctx.target, u)} 的 ±${formatShare(t.approxTolerance)} 范围`;
    case 'ci_clear':
      if (cmp === '<=') return `置信区间上限 ${withUnit(ctx.ci?.high ?? 0, u)} 不高于序时进度`;
      if (cmp === '≈') return `置信区间与序时进度 ±${formatShare(t.approxTolerance)} 范围重叠`;
      return `置信区间下限 ${withUnit(ctx.ci?.low ?? 0, u)} 不低于序时进度`;
    case 'ci_short':
      return cmp === '<='
        ? `置信区间下限 ${withUnit(ctx.ci?.low ?? 0, u)} 高于序时进度`
        : `置信区间上限 ${withUnit(ctx.ci?.high ?? 0, u)} 低于序时进度`;
    case 'ci_straddles':
      return '置信区间跨越序时进度，尚不能判断';
    case 'no_observation':
      return yearly ? `${ep.year} 年尚无填报数据（往年数据不结转）` : '尚无数据';
    case 'no_population':
      return `缺少${ctx.county ? ` ${ctx.county}` : '全市'} ${ep.year} 年常住人口数据，无法计算`;
    case 'worst_county':
      return '按最差县区亮灯';
    case 'no_counties':
      return '所有县区均无数据';
  }
}

/** Evaluate one scope's observations (already filtered to that county or to city-wide ones). */
function evaluateScope(
  indicator: Indicator,
  known: Observation[],
  options: EvaluateOptions,
  thresholds: Thresholds,
  scope: { county: string | null; target: number | null },
): ScopeEvaluation {
  const { kind, unit: u, comparator } = indicator;
  const asOf = options.asOf;
  const yearly = kind === 'annual' || kind === 'population_share';
  const baseEp = expectedProgress(indicator, asOf, { annualBasis: options.annualBasis, year: options.year });
  const target = scope.target ?? indicator.targetValue;
  const scoped: Indicator = { ...indicator, targetValue: target };
  const inYear = yearly ? known.filter((o) => yearOfObservation(o) === baseEp.year) : known;
  const observation = latest(inYear);
  const countyName = scope.county === null ? null : (options.countyNames?.[scope.county] ?? scope.county);

  const baseInputs: Explanation['inputs'] = {
    asOf,
    county: scope.county,
    target,
    comparator,
    yellowBand: thresholds.yellowBand,
    approxTolerance: thresholds.approxTolerance,
  };

  const noData = (
    rule: StatusRule,
    ep: ExpectedProgress,
    extra: Partial<ScopeEvaluation> = {},
  ): ScopeEvaluation => {
    const ruleText = ruleTextOf(rule, {
      indicator,
      actual: null,
      ratio: null,
      ep,
      target,
      ci: null,
      thresholds,
      county: countyName ?? undefined,
    });
    return {
      status: 'no_data',
      rule,
      ruleText,
      actual: null,
      numerator: null,
      population: null,
      target,
      ep,
      progress: null,
      observation,
      text: `${countyName ? `${countyName}：` : ''}${ruleText}，${lightText('no_data')}`,
      inputs: { ...baseInputs, year: ep.year, observationPeriod: observation?.period ?? null },
      ...extra,
    };
  };

  if (observation === null) return noData('no_observation', baseEp);

  let actual = observation.value;
  let numerator: number | null = null;
  let population: number | null = null;
  if (kind === 'population_share') {
    numerator = observation.value;
    const row = options.population?.find((r) => r.county === scope.county && r.year === baseEp.year);
    if (!row || !(row.population > 0)) return noData('no_population', baseEp, { numerator });
    population = row.population;
    actual = (100 * numerator) / population;
  }

  // A survey estimate is compared with the line at the date it stands for (never after asOf); once the deadline
  // has passed, with the target.
  let ep = baseEp;
  if (kind === 'survey_rate' && !baseEp.isFinal) {
    const day = Math.min(standsAtDay(observation), dayNumber(asOf));
    ep = expectedProgress(scoped, dateOfDay(day));
    ep = { ...ep, isFinal: false };
  } else if (scope.target !== null) {
    ep = expectedProgress(scoped, asOf, { annualBasis: options.annualBasis, year: options.year });
  }

  const ci = kind === 'survey_rate' ? (observation.ci ?? null) : null;
  const outcome = statusOf({
    comparator,
    actual,
    ci,
    expected: ep.expected,
    from: ep.from,
    target,
    isFinal: ep.isFinal,
    thresholds,
  });
  const ruleText = ruleTextOf(outcome.rule, {
    indicator,
    actual,
    ratio: outcome.ratio,
    ep,
    target,
    ci,
    thresholds,
  });
  const progress = completionOf(comparator, actual, target, ep.basis === 'line' ? ep.from : 0, thresholds);

  const obsText = `${periodText(observation)}，${observation.source.label}${observation.approved === false ? '，未审核' : ''}`;
  // Past the deadline there is no 序时进度 left: the verdict is final (终期), met or short by how much.
  const finalText = (): string => {
    const gap = comparator === '<=' ? actual - target : target - actual;
    if (gap <= 0 || (comparator === '≈' && Math.abs(gap) <= Math.abs(target) * thresholds.approxTolerance))
      return '，终期：已完成';
    return comparator === '<='
      ? `，终期：未完成，超出上限 ${withUnit(gap, u)}`
      : `，终期：未完成，差 ${withUnit(gap, u)}（完成目标的 ${formatShare(target === 0 ? 1 : actual / target)}）`;
  };
  const lineText =
    ep.isFinal && (kind === 'cumulative' || kind === 'survey_rate')
      ? finalText()
      : ep.basis === 'flat'
        ? ''
        : ep.basis === 'full_year'
          ? '，按全年目标考核'
          : `，序时进度应${kind === 'survey_rate' || kind === 'population_share' ? '达到' : '完成'} ${withUnit(ep.expected, u)}（已过 ${ep.elapsedDays}/${ep.totalDays} 天${
              kind === 'survey_rate'
                ? `，按 ${dateOfDay(Math.min(standsAtDay(observation), dayNumber(asOf)))} 计`
                : ''
            }${ep.basis === 'line' && indicator.baseline ? `，基线 ${withUnit(indicator.baseline.value, u)}（${indicator.baseline.year}年）` : ''}）`;
  const who = countyName ? `${countyName}：` : '';
  let head: string;
  if (kind === 'cumulative') {
    head = `${who}累计完成 ${withUnit(actual, u)}（${obsText}） / ${targetPhrase(comparator, target, u)}${
      indicator.deadline ? `（截至 ${indicator.deadline}）` : ''
    }`;
  } else if (kind === 'annual') {
    head = `${who}${ep.year}年完成 ${withUnit(actual, u)}（${obsText}） / 年度${targetPhrase(comparator, target, u)}`;
  } else if (kind === 'population_share') {
    head = `${who}${ep.year}年覆盖 ${formatNumber(numerator ?? 0)} / 常住人口 ${formatNumber(population ?? 0)} = ${withUnit(actual, u)}（${obsText}），${targetPhrase(comparator, target, u)}`;
  } else {
    head = `${who}调查估计 ${withUnit(actual, u)}（${ci ? `95%置信区间 ${formatNumber(ci.low)}–${withUnit(ci.high, u)}，` : ''}${obsText}），${targetPhrase(comparator, target, u)}${
      indicator.deadline ? `（截至 ${indicator.deadline}）` : ''
    }`;
  }
  return {
    status: outcome.status,
    rule: outcome.rule,
    ruleText,
    actual,
    numerator,
    population,
    target,
    ep,
    progress,
    observation,
    text: `${head}${lineText}，${ruleText}，${lightText(outcome.status)}`,
    inputs: {
      ...baseInputs,
      actual,
      numerator,
      population,
      ciLow: ci?.low ?? null,
      ciHigh: ci?.high ?? null,
      expected: ep.expected,
      from: ep.from,
      fromDate: ep.fromDate,
      toDate: ep.toDate,
      elapsedDays: ep.elapsedDays,
      totalDays: ep.totalDays,
      elapsedShare: ep.elapsedShare,
      basis: ep.basis,
      isFinal: ep.isFinal,
      year: ep.year,
      ratioToExpected: outcome.ratio,
      observationPeriod: observation.period,
      sourceKind: observation.source.kind,
      sourceRef: observation.source.ref,
      approved: observation.approved ?? null,
    },
  };
}

function toCounty(county: string, s: ScopeEvaluation): CountyEvaluation {
  return {
    county,
    status: s.status,
    actual: s.actual,
    target: s.target,
    expected: s.status === 'no_data' ? null : s.ep.expected,
    progress: s.progress,
    numerator: s.numerator,
    population: s.population,
    observation: s.observation,
    explanation: { formula: '', inputs: s.inputs, rule: s.rule, ruleText: s.ruleText, text: s.text },
  };
}

const SEVERITY: Record<Status, number> = { no_data: -1, green: 0, yellow: 1, red: 2 };

/**
 * Actual vs target of one indicator on `options.asOf`, with its 序时进度, light, completion and explanation.
 * Observations are plain data from any source (report, survey wave, registry query); those not yet known on asOf
 * (a date after it, or a year after asOf's year) are ignored.
 *
 * Which value counts: `cumulative` and `survey_rate` — the latest known value, carried forward until a newer one
 * (the sentence names its period and source); `annual` and `population_share` — the latest value within the
 * evaluated year only, never carried across January 1 (so 2025-01-01 starts with no data until 2025 is reported).
 * No value → status `no_data` (not 0, not red). A population share needs the population row of that county and
 * that year; a missing row gives `no_data`, never an estimate.
 *
 * Counties: when `byCounty`, each county is evaluated on its own observations (target: `countyTargets[county]`,
 * else the indicator's target for shares and rates; count kinds without a county target show the county's value
 * with no light of its own). City light — `population_share`: the worst county light among counties with data
 * (each county must reach the share), `actual` = pooled Σnumerator / Σpopulation; count kinds: the sum of county
 * values against the city target (counties without data are listed, not guessed); `survey_rate`: the city-wide
 * estimate (observations without county). Without `byCounty`, only city-wide observations (no county) are used.
 * Status rules: see `statusOf`; anomalies: see `detectAnomalies`.
 */
export function evaluateIndicator(
  indicator: Indicator,
  observations: Observation[],
  options: EvaluateOptions,
): EvaluationResult {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const asOfDay = dayNumber(options.asOf);
  const known = observations.filter((o) => knownDay(o) <= asOfDay);
  const anomalies = detectAnomalies(indicator, known);
  const cityObs = known.filter((o) => o.county === undefined);
  const formula = FORMULAS[indicator.kind];

  const base = {
    indicatorId: indicator.id,
    kind: indicator.kind,
    comparator: indicator.comparator,
    unit: indicator.unit,
    asOf: options.asOf,
    anomalies,
  };

  const fromScope = (
    s: ScopeEvaluation,
    counties: CountyEvaluation[],
    withoutData: string[],
    formulaText: string,
  ) => ({
    ...base,
    year: s.ep.year,
    status: s.status,
    actual: s.actual,
    ci: s.status === 'no_data' || indicator.kind !== 'survey_rate' ? null : (s.observation?.ci ?? null),
    target: s.target,
    expected: s.status === 'no_data' ? null : s.ep.expected,
    elapsedShare: s.ep.elapsedShare,
    progress: s.progress,
    isFinal: s.ep.isFinal,
    observation: s.observation,
    counties,
    countiesWithoutData: withoutData,
    explanation: { formula: formulaText, inputs: s.inputs, rule: s.rule, ruleText: s.ruleText, text: s.text },
  });

  if (!indicator.byCounty) {
    return fromScope(
      evaluateScope(indicator, cityObs, options, thresholds, { county: null, target: null }),
      [],
      [],
      formula,
    );
  }

  const countyIds = [
    ...new Set([...(options.counties ?? []), ...known.flatMap((o) => (o.county ? [o.county] : []))]),
  ];
  const isCount = indicator.kind === 'cumulative' || indicator.kind === 'annual';
  const scopes = countyIds.map((county) => {
    const own = known.filter((o) => o.county === county);
    const countyTarget = indicator.countyTargets?.[county];
    const s = evaluateScope(indicator, own, options, thresholds, { county, target: countyTarget ?? null });
    if (isCount && countyTarget === undefined && s.status !== 'no_data') {
      // A county share of a city count target is not defined: show the value, no light of its own.
      const text = `${options.countyNames?.[county] ?? county}：完成 ${withUnit(s.actual ?? 0, indicator.unit)}（无县区目标，不单独亮灯）`;
      return {
        county,
        s: { ...s, status: 'no_data' as const, progress: null, text, ruleText: '无县区目标' },
      };
    }
    return { county, s };
  });
  const counties = scopes.map(({ county, s }) => toCounty(county, s));
  const withoutData = scopes.filter(({ s }) => s.actual === null).map(({ county }) => county);
  const named = (ids: string[]) => ids.map((c) => options.countyNames?.[c] ?? c).join('、');
  const missingText =
    withoutData.length > 0 ? `，${withoutData.length} 个县区无数据（${named(withoutData)}）` : '';

  if (indicator.kind === 'survey_rate') {
    const city = evaluateScope(indicator, cityObs, options, thresholds, { county: null, target: null });
    return fromScope({ ...city, text: `全市${city.text}${missingText}` }, counties, withoutData, formula);
  }

  const ep = expectedProgress(indicator, options.asOf, {
    annualBasis: options.annualBasis,
    year: options.year,
  });
  const withData = scopes.filter(({ s }) => s.actual !== null);
  if (withData.length === 0) {
    const ruleText = ruleTextOf('no_counties', {
      indicator,
      actual: null,
      ratio: null,
      ep,
      target: indicator.targetValue,
      ci: null,
      thresholds,
    });
    return {
      ...base,
      year: ep.year,
      status: 'no_data',
      actual: null,
      ci: null,
      target: indicator.targetValue,
      expected: null,
      elapsedShare: ep.elapsedShare,
      progress: null,
      isFinal: ep.isFinal,
      observation: null,
      counties,
      countiesWithoutData: withoutData,
      explanation: {
        formula,
        inputs: { asOf: options.asOf, counties: countyIds.length, countiesWithoutData: withoutData.length },
        rule: 'no_counties',
        ruleText,
        text: `${ruleText}${missingText}，${lightText('no_data')}`,
      },
    };
  }

  if (indicator.kind === 'population_share') {
    const lit = withData.filter(({ s }) => s.status !== 'no_data');
    const worst = lit.reduce((w, c) => (SEVERITY[c.s.status] > SEVERITY[w.s.status] ? c : w), lit[0]!);
    const numerator = withData.reduce((sum, { s }) => sum + (s.numerator ?? 0), 0);
    const population = withData.reduce((sum, { s }) => sum + (s.population ?? 0), 0);
    const pooled = (100 * numerator) / population;
    const count = (st: Status) => lit.filter(({ s }) => s.status === st).length;
    const worstName = options.countyNames?.[worst.county] ?? worst.county;
    const ruleText = `按最差县区亮灯（${worstName} ${withUnit(worst.s.actual ?? 0, indicator.unit)}：${worst.s.ruleText}）`;
    const text = `${ep.year}年 ${countyIds.length} 个县区中 ${withData.length} 个有数据：绿灯 ${count('green')}、黄灯 ${count('yellow')}、红灯 ${count('red')}${missingText}；全市合计覆盖 ${formatNumber(numerator)} / ${formatNumber(population)} = ${withUnit(pooled, indicator.unit)}，${targetPhrase(indicator.comparator, indicator.targetValue, indicator.unit)}（每个县区），${ruleText}，${lightText(worst.s.status)}`;
    const progress = withData.reduce((sum, { s }) => sum + (s.progress ?? 0), 0) / withData.length;
    return {
      ...base,
      year: ep.year,
      status: worst.s.status,
      actual: pooled,
      ci: null,
      target: indicator.targetValue,
      expected: ep.expected,
      elapsedShare: ep.elapsedShare,
      progress,
      isFinal: ep.isFinal,
      observation: null,
      counties,
      countiesWithoutData: withoutData,
      explanation: {
        formula: `${formula}; 全市亮灯 = 有数据县区中最差的灯; actual = 100 × Σnumerator / Σpopulation; progress = 县区完成度的平均`,
        inputs: {
          asOf: options.asOf,
          year: ep.year,
          numerator,
          population,
          actual: pooled,
          target: indicator.targetValue,
          expected: ep.expected,
          worstCounty: worst.county,
          counties: countyIds.length,
          countiesWithoutData: withoutData.length,
        },
        rule: 'worst_county',
        ruleText,
        text,
      },
    };
  }

  // Count kinds by county: the city total is the sum of the county values.
  const sum = withData.reduce((total, { s }) => total + (s.actual ?? 0), 0);
  const total: Observation = {
    value: sum,
    period: indicator.kind === 'annual' && ep.year !== null ? ep.year : options.asOf,
    source: { kind: 'report', ref: '', label: `${withData.length} 个县区合计` },
  };
  const city = evaluateScope(indicator, [total], { ...options, year: ep.year ?? undefined }, thresholds, {
    county: null,
    target: null,
  });
  return fromScope(
    { ...city, observation: null, text: `${city.text}${missingText}` },
    counties,
    withoutData,
    `${formula}; 全市 actual = Σ 县区值（无数据县区不计入并列出）`,
  );
}
