import type { SurveyDesign } from './design';

/** Which linear statistic the influence values are built for. */
export type Statistic = 'mean' | 'total';

/** Per-(domain, unit) sums of one later stage of a multistage design, [d * nUnits + unit]. */
export interface StageSums {
  nUnits: number;
  /** Observed rows (any weight): whether the unit is still in R's row subset of the domain. */
  observed: Int32Array;
  sumW: Float64Array;
  sumWR: Float64Array;
}

/**
 * Per-domain and per-(domain, PSU) sums, gathered in one pass over the rows. Every domain keeps the whole
 * design: a row outside the domain contributes zero, it is never removed from the design structure
 * (R `svyby`). Rows with a missing y (NaN) are excluded from estimation as R's `na.rm = TRUE`.
 *
 * Sums of y are taken around a shift c (the overall mean of y) so that centring at a domain mean later
 * does not cancel digits: Σw(y − m) = Σw(y − c) − (m − c)Σw.
 */
export interface DomainSums {
  nDomains: number;
  nPsu: number;
  /** c: the shift applied to y before summing. */
  shift: number;
  /** Non-missing rows per domain (zero weights included: R's n). */
  count: Float64Array;
  /** Non-missing rows with a non-zero weight per domain (R's `sum(weights != 0)` for deff). */
  countPositive: Float64Array;
  /** Rows of the domain, missing values and zero weights included (R `nrow()` of the subset). */
  rows: Float64Array;
  /** Σ w per domain (non-missing rows). */
  sumW: Float64Array;
  /** Σ w·(y − c) and Σ w·(y − c)² per domain. */
  sumWR: Float64Array;
  sumWR2: Float64Array;
  /** Smallest and largest observed y of a row with a non-zero weight, per domain (±Infinity when none). */
  min: Float64Array;
  max: Float64Array;
  /** The same over every observed row, zero weights included. */
  minAll: Float64Array;
  maxAll: Float64Array;
  /** Weighted mean per domain. */
  mean: Float64Array;
  /**
   * Rows of the domain with a non-zero weight (missing y included) per (domain, PSU), [d * nPsu + psu]: the PSUs
   * R's `degf()` counts on the subset before `na.rm` drops rows.
   */
  psuDomainRows: Int32Array;
  /** Observed rows (any weight) per (domain, PSU): the PSU is in R's row subset of the domain. */
  psuObserved: Int32Array;
  /** Σ w per (domain, PSU); > 0 exactly when the PSU has an observed row of the domain with a non-zero weight. */
  psuSumW: Float64Array;
  /** Σ w·(y − c) per (domain, PSU). */
  psuSumWR: Float64Array;
  /** The same per unit of every later stage of the design (`design.laterStages`). */
  stages: StageSums[];
  /** Per calibration margin k: Σ w·rowFactor_k and Σ w·(y − c)·rowFactor_k per (domain, level). */
  marginW: Float64Array[];
  marginWR: Float64Array[];
}

/** Weighted mean of the observed values of y: the shift used by {@link accumulateDomains}. */
export function overallMean(design: SurveyDesign, y: Float64Array): number {
  let sw = 0;
  let swy = 0;
  const w = design.weights;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    if (Number.isNaN(yi)) continue;
    sw += w[i]!;
    swy += w[i]! * yi;
  }
  return sw > 0 ? swy / sw : 0;
}

/**
 * Gather domain sums. `domainCodes[i]` is the domain of row i (−1 = in no domain, null = everyone in
 * domain 0). `shift` defaults to the overall mean of y.
 */
export function accumulateDomains(
  design: SurveyDesign,
  y: Float64Array,
  domainCodes: Int32Array | null,
  nDomains: number,
  shift: number = overallMean(design, y),
): DomainSums {
  const { n, nPsu, weights: w, psuCodes } = design;
  const count = new Float64Array(nDomains);
  const countPositive = new Float64Array(nDomains);
  const rows = new Float64Array(nDomains);
  const sumW = new Float64Array(nDomains);
  const sumWR = new Float64Array(nDomains);
  const sumWR2 = new Float64Array(nDomains);
  const min = new Float64Array(nDomains).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(nDomains).fill(Number.NEGATIVE_INFINITY);
  const minAll = new Float64Array(nDomains).fill(Number.POSITIVE_INFINITY);
  const maxAll = new Float64Array(nDomains).fill(Number.NEGATIVE_INFINITY);
  const cells = nDomains * nPsu;
  const psuDomainRows = new Int32Array(cells);
  const psuObserved = new Int32Array(cells);
  const psuSumW = new Float64Array(cells);
  const psuSumWR = new Float64Array(cells);
  const stages: StageSums[] = design.laterStages.map((s) => ({
    nUnits: s.nUnits,
    observed: new Int32Array(nDomains * s.nUnits),
    sumW: new Float64Array(nDomains * s.nUnits),
    sumWR: new Float64Array(nDomains * s.nUnits),
  }));
  const S = stages.length;
  const margins = design.calibration?.margins ?? [];
  const marginW = margins.map((m) => new Float64Array(nDomains * m.nLevels));
  const marginWR = margins.map((m) => new Float64Array(nDomains * m.nLevels));
  const K = margins.length;
  const projectionWeights = design.calibration?.projectionWeights ?? null;

  for (let i = 0; i < n; i++) {
    const d = domainCodes === null ? 0 : domainCodes[i]!;
    if (d < 0) continue;
    const cell = d * nPsu + psuCodes[i]!;
    const wi = w[i]!;
    rows[d]! += 1;
    if (wi !== 0) psuDomainRows[cell]! += 1;
    const yi = y[i]!;
    if (Number.isNaN(yi)) continue;
    const r = yi - shift;
    const wr = wi * r;
    count[d]! += 1;
    psuObserved[cell]! += 1;
    if (yi < minAll[d]!) minAll[d] = yi;
    if (yi > maxAll[d]!) maxAll[d] = yi;
    if (wi !== 0) {
      countPositive[d]! += 1;
      if (yi < min[d]!) min[d] = yi;
      if (yi > max[d]!) max[d] = yi;
    }
    sumW[d]! += wi;
    sumWR[d]! += wr;
    sumWR2[d]! += wr * r;
    psuSumW[cell]! += wi;
    psuSumWR[cell]! += wr;
    for (let s = 0; s < S; s++) {
      const st = stages[s]!;
      const u = d * st.nUnits + design.laterStages[s]!.unitCodes[i]!;
      st.observed[u]! += 1;
      st.sumW[u]! += wi;
      st.sumWR[u]! += wr;
    }
    for (let k = 0; k < K; k++) {
      const m = margins[k]!;
      // A zero-weight row enters the projections as the limit of a vanishing weight: w/psw → g/g_k.
      const f = (wi === 0 && projectionWeights !== null ? projectionWeights[i]! : wi) * m.rowFactor[i]!;
      const idx = d * m.nLevels + m.codes[i]!;
      marginW[k]![idx]! += f;
      marginWR[k]![idx]! += f * r;
    }
  }
  const mean = new Float64Array(nDomains);
  for (let d = 0; d < nDomains; d++) mean[d] = shift + sumWR[d]! / sumW[d]!;
  return {
    nDomains,
    nPsu,
    shift,
    count,
    countPositive,
    rows,
    sumW,
    sumWR,
    sumWR2,
    min,
    max,
    minAll,
    maxAll,
    mean,
    psuDomainRows,
    psuObserved,
    psuSumW,
    psuSumWR,
    stages,
    marginW,
    marginWR,
  };
}

/**
 * Whether every observed value of domain d (rows with a non-zero weight) is the same: then the estimate is that
 * value exactly and its variance is exactly 0, whatever the rounding of the sums says.
 */
export function isDegenerate(sums: DomainSums, d: number): boolean {
  return sums.countPositive[d]! > 0 && sums.min[d] === sums.max[d];
}

/**
 * Whether the variance of a degenerate domain is exactly 0. It is, unless zero-weight rows with another value
 * can move it: they do in raking projections (R's unweighted level means count every row) and in supplied
 * replicate weights (a row may weigh 0 in the sample and not in a replicate) — `zeroRowsMatter`.
 */
export function hasZeroVariance(sums: DomainSums, d: number, zeroRowsMatter: boolean): boolean {
  if (!isDegenerate(sums, d)) return false;
  return !zeroRowsMatter || (sums.minAll[d] === sums.min[d] && sums.maxAll[d] === sums.max[d]);
}

/**
 * The point estimate of domain d: the weighted mean, or the total. A mean never leaves the range of the observed
 * values (a proportion never leaves [0, 1]); a degenerate domain gets its common value exactly.
 */
export function pointEstimate(sums: DomainSums, d: number, statistic: Statistic): number {
  if (statistic === 'total') {
    if (isDegenerate(sums, d)) return sums.min[d]! * sums.sumW[d]!;
    return sums.sumWR[d]! + sums.shift * sums.sumW[d]!;
  }
  if (isDegenerate(sums, d)) return sums.min[d]!;
  const m = sums.mean[d]!;
  return Math.min(sums.max[d]!, Math.max(sums.min[d]!, m));
}

/**
 * PSU totals (length nPsu) of the influence numerators u of domain d: u = w·(y − mean) for a mean, w·y for a
 * total (R's `x*pweights` before `svyrecvar()`; a mean is further divided by Σw).
 */
export function psuInfluence(sums: DomainSums, d: number, statistic: Statistic): Float64Array {
  const { nPsu } = sums;
  const out = new Float64Array(nPsu);
  const base = d * nPsu;
  const delta = statistic === 'mean' ? sums.mean[d]! - sums.shift : -sums.shift;
  for (let p = 0; p < nPsu; p++) out[p] = sums.psuSumWR[base + p]! - delta * sums.psuSumW[base + p]!;
  return out;
}

/** The same totals for the units of later stage s (index into `sums.stages`). */
export function stageInfluence(sums: DomainSums, s: number, d: number, statistic: Statistic): Float64Array {
  const st = sums.stages[s]!;
  const out = new Float64Array(st.nUnits);
  const base = d * st.nUnits;
  const delta = statistic === 'mean' ? sums.mean[d]! - sums.shift : -sums.shift;
  for (let u = 0; u < st.nUnits; u++) out[u] = st.sumWR[base + u]! - delta * st.sumW[base + u]!;
  return out;
}

/** Σ u·rowFactor_k per level of every calibration margin, for domain d (see {@link psuInfluence}). */
export function marginInfluence(
  sums: DomainSums,
  d: number,
  statistic: Statistic,
  levels: readonly number[],
): Float64Array[] {
  const delta = statistic === 'mean' ? sums.mean[d]! - sums.shift : -sums.shift;
  return levels.map((L, k) => {
    const out = new Float64Array(L);
    for (let g = 0; g < L; g++) out[g] = sums.marginWR[k]![d * L + g]! - delta * sums.marginW[k]![d * L + g]!;
    return out;
  });
}

/**
 * Degrees of freedom of a domain, as R `degf(subset(design, domain))`: PSUs minus strata that have at least
 * one row of the domain with a non-zero weight. `nonMissingOnly` counts only rows with an observed y.
 */
export function domainDegreesOfFreedom(
  design: SurveyDesign,
  sums: DomainSums,
  d: number,
  nonMissingOnly: boolean,
): number {
  const strataSeen = new Uint8Array(design.nStrata);
  let psus = 0;
  let strata = 0;
  const base = d * sums.nPsu;
  for (let p = 0; p < sums.nPsu; p++) {
    if (nonMissingOnly ? sums.psuSumW[base + p] === 0 : sums.psuDomainRows[base + p] === 0) continue;
    psus++;
    const h = design.psuStratum[p]!;
    if (strataSeen[h] === 0) {
      strataSeen[h] = 1;
      strata++;
    }
  }
  return psus - strata;
}

/** Rows of domain d, missing values and zero weights included. */
export function domainRowCount(sums: DomainSums, d: number): number {
  return sums.rows[d]!;
}

/**
 * The SRS variance of the estimator used by R's `deff = TRUE` (sampling without replacement, N = Σw):
 * svyvar(x)·(N − n)/(N·n) for a mean, times N² for a total. svyvar uses the n/(n−1) divisor. `n` is what R
 * counts: the rows with a non-zero weight for a design (`sum(weights != 0)`), every observed row for replicate
 * weights (`length(pweights)`). NaN when undefined or not positive (R would print NA or a negative deff).
 */
export function srsVariance(sums: DomainSums, d: number, statistic: Statistic, n: number): number {
  const N = sums.sumW[d]!;
  if (n <= 1) return Number.NaN;
  const delta = sums.sumWR[d]! / N;
  const s2 = ((sums.sumWR2[d]! / N - delta * delta) * n) / (n - 1);
  // R returns NA (with a warning) when Σw < n: weights are probably not scaled to the population.
  if (!(N > n) || !(s2 > 0)) return Number.NaN;
  const v = (s2 * (N - n)) / (N * n);
  return statistic === 'mean' ? v : v * N * N;
}
