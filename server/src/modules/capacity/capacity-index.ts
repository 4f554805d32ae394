/**
 * 科学素质建设能力指数 (capacity index) by county: pure computation, no I/O. The service gathers each county's raw
 * values and residents; this file turns them into scaled values, dimension scores, the index, ranks and the
 * sensitivity of the ranks to the dimension weights. Every step is written out in `methodText` (shown with the result).
 */

export type Scaling = 'minmax' | 'zscore';
export type Direction = 'higher' | 'lower';

export interface IndexIndicator {
  key: string;
  name: string;
  /** Relative weight within its dimension (> 0; normalised to sum 1 within the dimension). */
  weight: number;
  direction: Direction;
  /** Divide the raw value by the county's residents in 万人 (per 10,000 residents). */
  perResident: boolean;
}

export interface IndexDimension {
  key: string;
  name: string;
  /** Relative weight of the dimension (> 0; normalised to sum 1 across dimensions). */
  weight: number;
  indicators: IndexIndicator[];
}

export interface IndexCounty {
  id: string;
  name: string;
  /** 常住人口 of the year, or null when not recorded. */
  residents: number | null;
}

/** A raw value of an indicator for a county: a number, or null with the reason it is missing. */
export type RawValue = { value: number } | { value: null; reason: string };

export interface IndexInput {
  scaling: Scaling;
  dimensions: IndexDimension[];
  counties: IndexCounty[];
  /** raw(indicatorKey, countyId) */
  raw: (indicatorKey: string, countyId: string) => RawValue;
}

export interface IndicatorScore {
  key: string;
  /** The raw value as read (before per-resident normalisation), null when missing. */
  raw: number | null;
  /** The value scaled (raw, or per 万人): null when missing. */
  value: number | null;
  /** 0–100 (min–max) or z (z-score), oriented so that higher is better; null when missing. */
  scaled: number | null;
  /** Why the value is missing (缺少常住人口数据, 未录入 …), else null. */
  missing: string | null;
}

export interface CountyScore {
  id: string;
  name: string;
  residents: number | null;
  indicators: IndicatorScore[];
  /** Per dimension key: the weighted mean of its indicators present, null when none is present. */
  dimensions: Record<string, number | null>;
  /** The weighted mean of the dimensions present, null when none is present. */
  index: number | null;
  /** 1 = best; ties share a rank (1, 1, 3); null without an index. */
  rank: number | null;
  /** Some indicator is missing: scored on what it has, weights renormalised. */
  incomplete: boolean;
}

export interface IndexResult {
  scaling: Scaling;
  /** Normalised weights: dimension key → weight (sum 1), indicator key → weight within its dimension (sum 1). */
  dimensionWeights: Record<string, number>;
  indicatorWeights: Record<string, number>;
  counties: CountyScore[];
}

/** Ranks compare indices rounded to this many decimals, so that floating noise does not break a tie. */
const RANK_DECIMALS = 6;

/** Weights normalised to sum 1 (all equal when they sum to 0). */
export function normaliseWeights(weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) return weights.map(() => (weights.length > 0 ? 1 / weights.length : 0));
  return weights.map((w) => w / total);
}

/**
 * Scale the values present of one indicator, oriented so that higher is better.
 * min–max: (v − min) / (max − min) × 100 (lower is better: (max − v) / (max − min) × 100); all equal → 100 each.
 * z-score: (v − mean) / sd with the population sd (÷ n) (lower is better: the sign flips); sd 0 → 0 each.
 */
export function scaleValues(
  values: (number | null)[],
  scaling: Scaling,
  direction: Direction,
): (number | null)[] {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return values.map(() => null);
  const sign = direction === 'higher' ? 1 : -1;
  if (scaling === 'minmax') {
    const min = Math.min(...present);
    const max = Math.max(...present);
    return values.map((v) => {
      if (v === null) return null;
      if (max === min) return 100;
      return direction === 'higher' ? ((v - min) / (max - min)) * 100 : ((max - v) / (max - min)) * 100;
    });
  }
  const mean = present.reduce((s, v) => s + v, 0) / present.length;
  const sd = Math.sqrt(present.reduce((s, v) => s + (v - mean) ** 2, 0) / present.length);
  return values.map((v) => (v === null ? null : sd === 0 ? 0 : (sign * (v - mean)) / sd));
}

/** A weighted mean over the entries present, weights renormalised over them; null when none is present. */
function weightedMean(entries: { weight: number; value: number | null }[]): number | null {
  const present = entries.filter((e): e is { weight: number; value: number } => e.value !== null);
  const total = present.reduce((s, e) => s + e.weight, 0);
  if (present.length === 0 || !(total > 0)) return null;
  return present.reduce((s, e) => s + e.weight * e.value, 0) / total;
}

/** Competition ranks, higher index first: ties (equal to RANK_DECIMALS) share a rank, the next rank skips. */
export function rankOf(indices: (number | null)[]): (number | null)[] {
  const rounded = indices.map((v) => (v === null ? null : Number(v.toFixed(RANK_DECIMALS))));
  return rounded.map((v) => (v === null ? null : 1 + rounded.filter((o) => o !== null && o > v).length));
}

/** The index of each county from its dimension scores and the dimension weights (renormalised over those present). */
function indicesOf(
  counties: { dimensions: Record<string, number | null> }[],
  dimensionWeights: Record<string, number>,
): (number | null)[] {
  return counties.map((c) =>
    weightedMean(
      Object.entries(dimensionWeights).map(([key, weight]) => ({ weight, value: c.dimensions[key] ?? null })),
    ),
  );
}

/**
 * The index: per county raw values → per 万人 where asked (missing residents: "缺少常住人口数据") → scaled per
 * indicator over the counties that have it → dimension scores (weighted mean of the indicators present) → index
 * (weighted mean of the dimensions present) → ranks. A county missing an indicator is scored on those it has with the
 * weights renormalised, and flagged `incomplete`.
 */
export function computeCapacityIndex(input: IndexInput): IndexResult {
  const dimWeights = normaliseWeights(input.dimensions.map((d) => d.weight));
  const dimensionWeights: Record<string, number> = {};
  const indicatorWeights: Record<string, number> = {};
  input.dimensions.forEach((d, k) => {
    dimensionWeights[d.key] = dimWeights[k] ?? 0;
    const w = normaliseWeights(d.indicators.map((i) => i.weight));
    d.indicators.forEach((i, n) => {
      indicatorWeights[i.key] = w[n] ?? 0;
    });
  });

  const scores = new Map<string, IndicatorScore[]>(input.counties.map((c) => [c.id, []]));
  for (const d of input.dimensions) {
    for (const ind of d.indicators) {
      const rows = input.counties.map((c): IndicatorScore => {
        const r = input.raw(ind.key, c.id);
        if (r.value === null)
          return { key: ind.key, raw: null, value: null, scaled: null, missing: r.reason };
        if (!ind.perResident)
          return { key: ind.key, raw: r.value, value: r.value, scaled: null, missing: null };
        if (c.residents === null || !(c.residents > 0))
          return { key: ind.key, raw: r.value, value: null, scaled: null, missing: '缺少常住人口数据' };
        return {
          key: ind.key,
          raw: r.value,
          value: (r.value / c.residents) * 10_000,
          scaled: null,
          missing: null,
        };
      });
      const scaled = scaleValues(
        rows.map((r) => r.value),
        input.scaling,
        ind.direction,
      );
      rows.forEach((r, k) => {
        r.scaled = scaled[k] ?? null;
        scores.get(input.counties[k]?.id ?? '')?.push(r);
      });
    }
  }

  const counties: CountyScore[] = input.counties.map((c) => {
    const own = scores.get(c.id) ?? [];
    const byKey = new Map(own.map((s) => [s.key, s]));
    const dimensions: Record<string, number | null> = {};
    for (const d of input.dimensions)
      dimensions[d.key] = weightedMean(
        d.indicators.map((i) => ({
          weight: indicatorWeights[i.key] ?? 0,
          value: byKey.get(i.key)?.scaled ?? null,
        })),
      );
    return {
      id: c.id,
      name: c.name,
      residents: c.residents,
      indicators: own,
      dimensions,
      index: null,
      rank: null,
      incomplete: own.some((s) => s.scaled === null),
    };
  });
  const indices = indicesOf(counties, dimensionWeights);
  const ranks = rankOf(indices);
  counties.forEach((c, k) => {
    c.index = indices[k] ?? null;
    c.rank = ranks[k] ?? null;
  });
  return { scaling: input.scaling, dimensionWeights, indicatorWeights, counties };
}

export interface SensitivityScenario {
  dimensionKey: string;
  dimensionName: string;
  /** −0.2 or +0.2: the dimension's weight times 0.8 or 1.2, the others rescaled so that the weights sum to 1. */
  change: number;
  weights: Record<string, number>;
  /** county id → rank under these weights (null without an index). */
  ranks: Record<string, number | null>;
  /** The counties ranked first under these weights (ties: several). */
  top: string[];
  /** Whether the first place differs from the result's. */
  changesTop: boolean;
}

export interface Sensitivity {
  scenarios: SensitivityScenario[];
  /** county id → the best and worst rank over the result and every scenario. */
  rankRange: Record<string, { best: number | null; worst: number | null }>;
}

/** The dimension weights with one moved by `change` (×(1+change)) and the others rescaled to keep the sum 1. */
export function movedWeights(
  weights: Record<string, number>,
  key: string,
  change: number,
): Record<string, number> {
  const own = weights[key] ?? 0;
  const moved = Math.min(1, own * (1 + change));
  const rest = 1 - own;
  const out: Record<string, number> = {};
  for (const [k, w] of Object.entries(weights))
    out[k] = k === key ? moved : rest > 0 ? (w * (1 - moved)) / rest : 0;
  return out;
}

const topOf = (counties: { id: string }[], ranks: (number | null)[]) =>
  counties.filter((_, k) => ranks[k] === 1).map((c) => c.id);

/**
 * For each dimension, its weight moved −20% and +20% (others rescaled so that the weights sum to 1), the ranks
 * recomputed from the same dimension scores; each county's rank range over the result and these ten-or-so moves.
 */
export function sensitivityOf(result: IndexResult, dimensions: { key: string; name: string }[]): Sensitivity {
  const baseRanks = result.counties.map((c) => c.rank);
  const baseTop = new Set(topOf(result.counties, baseRanks));
  const rankRange: Sensitivity['rankRange'] = {};
  const widen = (id: string, rank: number | null) => {
    const r = rankRange[id] ?? { best: null, worst: null };
    if (rank !== null) {
      r.best = r.best === null ? rank : Math.min(r.best, rank);
      r.worst = r.worst === null ? rank : Math.max(r.worst, rank);
    }
    rankRange[id] = r;
  };
  for (const c of result.counties) widen(c.id, c.rank);
  const scenarios: SensitivityScenario[] = [];
  for (const d of dimensions) {
    for (const change of [-0.2, 0.2]) {
      const weights = movedWeights(result.dimensionWeights, d.key, change);
      const ranks = rankOf(indicesOf(result.counties, weights));
      const top = topOf(result.counties, ranks);
      result.counties.forEach((c, k) => {
        widen(c.id, ranks[k] ?? null);
      });
      scenarios.push({
        dimensionKey: d.key,
        dimensionName: d.name,
        change,
        weights,
        ranks: Object.fromEntries(result.counties.map((c, k) => [c.id, ranks[k] ?? null])),
        top,
        changesTop: top.length !== baseTop.size || top.some((id) => !baseTop.has(id)),
      });
    }
  }
  return { scenarios, rankRange };
}

/** The method in words, shown and published with every result. */
export function methodText(scaling: Scaling): string {
  const scale =
    scaling === 'minmax'
      ? '极差标准化（min–max）：得分 =（值 − 最小值）÷（最大值 − 最小值）× 100，越低越好的指标取（最大值 − 值）÷（最大值 − 最小值）× 100；各县区值相同时均得 100 分'
      : 'Z 分数标准化：得分 =（值 − 均值）÷ 标准差（总体标准差，除以县区数），越低越好的指标取相反数；各县区值相同时均得 0 分';
  return [
    '1. 原始值：各指标按配置的数据来源取该年度的数值（资源库在册数量截至年末或计算当日、志愿者与专家数量、人均科普经费、科普活动人次、手工录入值），并注明截至日期与来源。',
    '2. 人口标准化：勾选“按常住人口”的指标除以该县区当年常住人口（万人），即每万人数值；缺少当年常住人口的县区，该指标记为“缺少常住人口数据”，不按 0 计。',
    `3. ${scale}。只在有数值的县区之间标准化。`,
    '4. 权重：同一维度内各指标的权重、各维度的权重分别归一化为合计 1（按填写的相对权重折算）。',
    '5. 维度得分 = 该维度已有数值的指标得分按权重加权平均；能力指数 = 已有得分的维度按权重加权平均。缺少某项数据的县区，按其已有的指标计算，权重在已有项之间重新归一化，并标注“数据不全”。',
    '6. 排名：按能力指数从高到低，指数相同（保留 6 位小数后相等）的县区并列，下一名次顺延（如 1、1、3）。',
    '7. 敏感性：每个维度的权重分别下调、上调 20%，其余维度按比例缩放使权重合计仍为 1，重新计算排名，给出各县区的名次范围及改变第一名的调整。',
  ].join('\n');
}
