import {
  CI_METHOD_LABELS,
  type ColumnMapping,
  type DesignFile as SharedDesignFile,
  DesignFileSchema,
  describeDesignFileError,
  ESTIMATE_FLAG_LABELS,
  ESTIMATE_METHOD_LABELS,
  JIANGSU_SERIES,
  NATIONAL_SERIES,
  type PlanRateTarget,
  type RakingMargin,
  SURVEY_LIMITS,
  SURVEY_ROLES,
  type SurveyEstimate,
  type SurveyRole,
  XUZHOU_BASELINES,
  stageColumns,
} from '@kesu/shared';
import type { EChartsOption } from 'echarts';

/** Pure helpers of the monitoring pages: formatting, warnings, chart options, design.json → mapping. */

/** A proportion as a percentage with two decimals: 0.10302 → "10.30%". */
export function pct(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
}

/**
 * "10.30% [8.13%, 12.97%]" for a proportion; "56.28 [54.20, 58.36]" for a mean (e.g. the score); without an
 * interval (an exact 0 or 1, no df) the estimate alone — the row's flag says why.
 */
export function formatEstimate(e: Pick<SurveyEstimate, 'estimate' | 'ciLow' | 'ciHigh' | 'kind'>): string {
  const f = (x: number) => (e.kind === 'mean' ? x.toFixed(2) : pct(x));
  return e.ciLow !== null && e.ciHigh !== null
    ? `${f(e.estimate)} [${f(e.ciLow)}, ${f(e.ciHigh)}]`
    : f(e.estimate);
}

/**
 * What to say beside a row that is not an ordinary proportion: a mean (and its Wald interval) or a flag (an exact
 * 0 or 1, no data, raking not converged …), with the variance method. Empty for an ordinary proportion.
 */
export function estimateNotes(
  e: Pick<SurveyEstimate, 'kind' | 'ciMethod' | 'flags' | 'method'>,
): { label: string; text: string }[] {
  const out: { label: string; text: string }[] = [];
  const method = ESTIMATE_METHOD_LABELS[e.method];
  if (e.kind === 'mean')
    out.push({
      label: `均值${e.ciMethod ? `·${CI_METHOD_LABELS[e.ciMethod]}` : ''}`,
      text: `不是 0/1 变量，按均值估计；置信区间为 Wald 区间（估计 ± t·标准误）。方差方法：${method}`,
    });
  for (const f of e.flags)
    out.push({
      label: ESTIMATE_FLAG_LABELS[f].short,
      text: `${ESTIMATE_FLAG_LABELS[f].text}。方差方法：${method}`,
    });
  return out;
}

/** Small-sample warnings of DOMAIN/issue 5: n < 30, CV > 0.3. */
export function sampleWarnings(e: Pick<SurveyEstimate, 'n' | 'cv'>): string[] {
  const out: string[] = [];
  if (e.n < SURVEY_LIMITS.smallSampleN) out.push(`样本量 ${e.n} < ${SURVEY_LIMITS.smallSampleN}`);
  if (e.cv !== null && e.cv > SURVEY_LIMITS.smallSampleCv)
    out.push(`CV ${e.cv.toFixed(2)} > ${SURVEY_LIMITS.smallSampleCv}`);
  return out;
}

/** The rate a wave is compared with: the plan's own survey-rate indicator, in percent. */
export interface RateTarget {
  label: string;
  value: number;
  year: number | null;
}

/** The plan's target as the page names it ("徐州市全民科学素质行动规划实施方案 2025 年目标"), or null without one. */
export function rateTargetOf(t: PlanRateTarget | null | undefined): RateTarget | null {
  if (!t) return null;
  return { label: `规划${t.year === null ? '' : ` ${t.year} 年`}目标`, value: t.value, year: t.year };
}

/** Percentage points from the plan's target; negative = below target. */
export function gapToTarget(estimate: number, target: RateTarget): number {
  return estimate * 100 - target.value;
}

/** Whether the whole CI lies above, below, or across the target. */
export function targetVerdict(
  e: Pick<SurveyEstimate, 'ciLow' | 'ciHigh' | 'estimate'>,
  target: RateTarget,
): 'above' | 'below' | 'unclear' {
  const t = target.value / 100;
  if (e.ciLow !== null && e.ciLow >= t) return 'above';
  if (e.ciHigh !== null && e.ciHigh < t) return 'below';
  return 'unclear';
}

export function findEstimate(
  estimates: readonly SurveyEstimate[],
  q: { method: string; variable: string; by: string | null; domain?: string | null },
): SurveyEstimate | undefined {
  return estimates.find(
    (e) =>
      e.method === q.method &&
      e.variable === q.variable &&
      e.by === q.by &&
      (q.by === null ? e.domain === null : q.domain === undefined || e.domain === q.domain),
  );
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** CI bars are drawn as candlesticks [est, est, low, high]: one colour, whatever the direction. */
const CI_STYLE = { color: '#333', color0: '#333', borderColor: '#333', borderColor0: '#333' };

export interface WavePoint {
  year: number;
  name: string;
  estimate: number;
  ciLow: number | null;
  ciHigh: number | null;
}

/**
 * The trend: survey waves with 95% CI bars; the plan's Xuzhou baselines, national and Jiangsu published series as
 * points without CI (dashed, hollow symbols); the 2025 target.
 */
export function trendOption(waves: readonly WavePoint[], target: RateTarget | null): EChartsOption {
  const years = [
    ...new Set([
      ...waves.map((w) => w.year),
      ...XUZHOU_BASELINES.points.map((p) => p.year),
      ...NATIONAL_SERIES.points.map((p) => p.year),
      ...JIANGSU_SERIES.points.map((p) => p.year),
      ...(target?.year ? [target.year] : []),
    ]),
  ].sort((a, b) => a - b);
  const cat = years.map(String);
  const at = (points: readonly { year: number; value: number }[]) =>
    years.map((y) => points.find((p) => p.year === y)?.value ?? null);
  const byYear = new Map(waves.map((w) => [w.year, w]));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: cat },
    yAxis: { type: 'value', name: '%', min: 0 },
    series: [
      {
        name: '本系统调查估计（95% CI）',
        type: 'scatter',
        symbolSize: 10,
        data: years.map((y) => {
          const w = byYear.get(y);
          return w ? round2(w.estimate * 100) : null;
        }),
      },
      {
        name: '95% 置信区间',
        type: 'candlestick',
        barWidth: 6,
        itemStyle: CI_STYLE,
        data: years.map((y) => {
          const w = byYear.get(y);
          if (!w || w.ciLow === null || w.ciHigh === null) return ['-', '-', '-', '-'];
          const e = round2(w.estimate * 100);
          return [e, e, round2(w.ciLow * 100), round2(w.ciHigh * 100)];
        }),
      },
      {
        name: `${XUZHOU_BASELINES.label}（公布值，无 CI）`,
        type: 'line',
        connectNulls: true,
        symbol: 'emptyCircle',
        lineStyle: { type: 'dashed' },
        data: at(XUZHOU_BASELINES.points),
      },
      {
        name: `${NATIONAL_SERIES.label}（公布值）`,
        type: 'line',
        connectNulls: true,
        symbol: 'emptyTriangle',
        lineStyle: { type: 'dotted' },
        data: at(NATIONAL_SERIES.points),
      },
      {
        name: `${JIANGSU_SERIES.label}（公布值）`,
        type: 'line',
        connectNulls: true,
        symbol: 'emptyDiamond',
        lineStyle: { type: 'dotted' },
        data: at(JIANGSU_SERIES.points),
      },
      ...(target?.year
        ? [
            {
              name: `${target.label} ${target.value}%`,
              type: 'scatter' as const,
              symbol: 'pin',
              symbolSize: 22,
              data: years.map((y) => (y === target.year ? target.value : null)),
            },
          ]
        : []),
    ],
  };
}

/** A breakdown as bars with 95% CI bars and the target line. */
export function breakdownOption(rows: readonly SurveyEstimate[], target: RateTarget | null): EChartsOption {
  const cat = rows.map((r) => r.domain ?? '');
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 24, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: cat, axisLabel: { interval: 0, rotate: cat.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name: '%', min: 0 },
    series: [
      {
        name: '估计值',
        type: 'bar',
        barMaxWidth: 36,
        data: rows.map((r) => round2(r.estimate * 100)),
        ...(target
          ? {
              markLine: {
                symbol: 'none',
                label: { formatter: `目标 ${target.value}%` },
                data: [{ yAxis: target.value }],
              },
            }
          : {}),
      },
      {
        name: '95% 置信区间',
        type: 'candlestick',
        barWidth: 4,
        itemStyle: CI_STYLE,
        data: rows.map((r) => {
          const e = round2(r.estimate * 100);
          return r.ciLow === null || r.ciHigh === null
            ? ['-', '-', '-', '-']
            : [e, e, round2(r.ciLow * 100), round2(r.ciHigh * 100)];
        }),
      },
    ],
  };
}

/** Gaps to the target (percentage points), smallest rate first. */
export function gapOption(rows: readonly SurveyEstimate[], target: RateTarget): EChartsOption {
  const sorted = [...rows].sort((a, b) => a.estimate - b.estimate);
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 96, right: 32, top: 16, bottom: 24 },
    xAxis: { type: 'value', name: '百分点' },
    yAxis: { type: 'category', data: sorted.map((r) => r.domain ?? '') },
    series: [
      {
        name: `距${target.label}`,
        type: 'bar',
        data: sorted.map((r) => round2(gapToTarget(r.estimate, target))),
      },
    ],
  };
}

/** A design.json as a user writes it (@kesu/shared DesignFileSchema). */
export type DesignFile = SharedDesignFile;

/** Parse a design.json: the design, or a Chinese message naming what is wrong (an unknown key by its name). */
export function parseDesignFile(text: string): { design: DesignFile } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'design.json 不是有效的 JSON' };
  }
  const parsed = DesignFileSchema.safeParse(json);
  return parsed.success
    ? { design: parsed.data }
    : { error: `design.json 无效：${describeDesignFileError(parsed.error)}` };
}

/**
 * Merge a design.json into a suggested mapping: its weight/strata/cluster/fpc columns win (a two-stage design fills
 * the PSU and the second-stage unit, and their fpcs); no clusters = no PSU.
 */
export function applyDesignFile(
  suggested: Partial<Record<SurveyRole, string>>,
  header: readonly string[],
  design: DesignFile | null,
): Partial<Record<SurveyRole, string>> {
  const out: Partial<Record<SurveyRole, string>> = {};
  for (const role of SURVEY_ROLES) {
    const c = suggested[role];
    if (c && header.includes(c)) out[role] = c;
  }
  if (!design) return out;
  const set = (role: SurveyRole, col: string | null | undefined) => {
    if (col === undefined) return;
    if (col === null) delete out[role];
    else if (header.includes(col)) out[role] = col;
  };
  set('weight', design.weights);
  set('stratum', design.strata);
  if (design.clusters !== undefined) {
    const [psu = null, psu2 = null] = stageColumns(design.clusters);
    set('psu', psu);
    set('psu2', psu2);
  }
  if (design.fpc !== undefined) {
    const [fpc = null, fpc2 = null] = stageColumns(design.fpc);
    set('fpc', fpc);
    set('fpc2', fpc2);
  }
  return out;
}

/** design.json raking margins name file columns; the stored wave names roles. Unmapped variables are reported. */
export function marginsToRoles(
  design: DesignFile,
  mapping: Partial<Record<SurveyRole, string>>,
): { margins: RakingMargin[]; unmapped: string[] } {
  const margins: RakingMargin[] = [];
  const unmapped: string[] = [];
  for (const m of design.raking?.margins ?? []) {
    const role = (Object.keys(mapping) as SurveyRole[]).find((r) => mapping[r] === m.variable);
    if (role) margins.push({ variable: role, totals: m.totals });
    else unmapped.push(m.variable);
  }
  return { margins, unmapped };
}

/** Drop empty entries, so the mapping sent names only chosen columns. */
export function cleanMapping(m: Partial<Record<SurveyRole, string | undefined>>): ColumnMapping {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => Boolean(v))) as ColumnMapping;
}
