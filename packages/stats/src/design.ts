import { StatsError } from './errors';

/**
 * What to do with a stratum that has a single PSU, as R's `options(survey.lonely.psu = …)`:
 * - `fail`: error (R's default);
 * - `remove` / `certainty`: the stratum contributes nothing to the variance;
 * - `adjust`: the lonely PSU is centred at the overall mean instead of its stratum mean;
 * - `average`: the variance is scaled up by (#strata / #strata with ≥2 PSUs).
 */
export type LonelyPsuPolicy = 'fail' | 'remove' | 'adjust' | 'certainty' | 'average';

/** A categorical column: labels per row, or integer codes per row. */
export type CategoricalColumn = readonly string[] | Int32Array;

/** Input of {@link createDesign}. All arrays have one entry per respondent. */
export interface DesignInput {
  /** w: inverse inclusion probability (design weight), one per respondent; must be finite and > 0. */
  weights: Float64Array | readonly number[];
  /** First-stage strata; omitted = one stratum (R: `strata = NULL`). */
  strata?: CategoricalColumn | null;
  /** First-stage PSUs; nested in strata (R: `nest = TRUE`); omitted = every respondent is a PSU (`ids = ~1`). */
  clusters?: CategoricalColumn | null;
  /**
   * Finite population correction per respondent (R `fpc=`): either the number of PSUs in the population
   * stratum (all values ≥ 1) or the sampling fraction (all values ≤ 1). Omitted = with-replacement variance.
   */
  fpc?: Float64Array | readonly number[] | null;
  /** Lonely-PSU policy, R's `options(survey.lonely.psu)`. Default `fail`, as R. */
  lonelyPsu?: LonelyPsuPolicy;
}

/**
 * One calibration margin (a raking margin or a post-stratifier) as R keeps it in `design$postStrata`:
 * the level of every row, and the weights right after this margin was applied (`attr(., "weights")`).
 * `rowFactor` and `denominator` encode the projection R applies in `svyrecvar()`:
 * x ← x − psw · (Σ_g x·rowFactor) / denominator_g.
 */
export interface CalibrationMargin {
  codes: Int32Array;
  nLevels: number;
  /** psw: weights after this margin was applied, per row. */
  psw: Float64Array;
  /** raking: 1/psw (R uses an unweighted mean of x/psw); post-stratification: oldw/psw. */
  rowFactor: Float64Array;
  /** raking: rows per level; post-stratification: Σ oldw per level. */
  denominator: Float64Array;
  /** Σ psw per (PSU, level), row-major [psu * nLevels + level]. */
  pswByPsu: Float64Array;
}

/** The calibration R stores after `rake()` (iterated projections) or `postStratify()` (one projection). */
export interface Calibration {
  kind: 'raking' | 'poststratification';
  margins: CalibrationMargin[];
  /** How many sweeps over the margins svyrecvar does: 10 for raking (hard-coded in R), 1 for post-strata. */
  sweeps: number;
  /**
   * cross[k][j] is an nLevels_k × nLevels_j matrix: (1/denominator_kg) Σ_{rows in g of k, l of j} psw_j·rowFactor_k.
   * It lets the projections be iterated on level totals instead of on every row.
   */
  cross: Float64Array[][];
  /** true if R's rake() reached its epsilon. */
  converged: boolean;
  iterations: number;
}

/**
 * A survey design object: R's `svydesign(ids, strata, weights, fpc, nest = TRUE)` stored column-wise with
 * integer codes. Immutable; calibration returns a new design.
 */
export interface SurveyDesign {
  readonly n: number;
  /** Current analysis weights (after any calibration). */
  readonly weights: Float64Array;
  readonly strataCodes: Int32Array;
  readonly strataLabels: readonly string[];
  readonly nStrata: number;
  readonly hasStrata: boolean;
  /** Global PSU index per row (PSUs nested in strata), 0 … nPsu−1. */
  readonly psuCodes: Int32Array;
  readonly nPsu: number;
  readonly hasClusters: boolean;
  /** Stratum of every PSU. */
  readonly psuStratum: Int32Array;
  /** PSUs of each stratum in the full sample (R: `fpc$sampsize`), kept when rows are excluded. */
  readonly psuPerStratum: Int32Array;
  /** Population PSUs per stratum (R: `fpc$popsize`), or null without fpc. */
  readonly fpcPopulation: Float64Array | null;
  readonly lonelyPsu: LonelyPsuPolicy;
  readonly calibration: Calibration | null;
}

/** Codes of a categorical column, labels in first-appearance order. */
export interface Coded {
  codes: Int32Array;
  labels: string[];
}

/** Integer-code a categorical column once (labels in order of first appearance). */
export function codeColumn(column: CategoricalColumn): Coded {
  const n = column.length;
  const codes = new Int32Array(n);
  if (column instanceof Int32Array) {
    const map = new Map<number, number>();
    const labels: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = column[i]!;
      let c = map.get(v);
      if (c === undefined) {
        c = labels.length;
        map.set(v, c);
        labels.push(String(v));
      }
      codes[i] = c;
    }
    return { codes, labels };
  }
  const map = new Map<string, number>();
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = column[i]!;
    let c = map.get(v);
    if (c === undefined) {
      c = labels.length;
      map.set(v, c);
      labels.push(v);
    }
    codes[i] = c;
  }
  return { codes, labels };
}

/**
 * Build a design. Mirrors R `svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = …, nest = TRUE)`;
 * without clusters it is `ids = ~1` (each respondent its own PSU).
 * @throws StatsError BAD_WEIGHT for a missing, non-finite or non-positive weight; BAD_INPUT for length
 *   mismatches or an inconsistent fpc.
 */
export function createDesign(input: DesignInput): SurveyDesign {
  const n = input.weights.length;
  if (n === 0) throw new StatsError('BAD_INPUT', '样本为空,无法建立抽样设计');
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = Number(input.weights[i]);
    if (!Number.isFinite(w) || w <= 0) {
      throw new StatsError(
        'BAD_WEIGHT',
        `第 ${i + 1} 行的权数无效(${String(input.weights[i])}):权数必须是正的有限数`,
        {
          row: i + 1,
          value: input.weights[i],
        },
      );
    }
    weights[i] = w;
  }
  const checkLength = (name: string, len: number) => {
    if (len !== n)
      throw new StatsError('BAD_INPUT', `${name} 列的长度(${len})与权数列(${n})不一致`, { name });
  };

  const hasStrata = input.strata != null;
  let strataCodes: Int32Array;
  let strataLabels: string[];
  if (input.strata != null) {
    checkLength('strata', input.strata.length);
    const c = codeColumn(input.strata);
    strataCodes = c.codes;
    strataLabels = c.labels;
  } else {
    strataCodes = new Int32Array(n);
    strataLabels = ['1'];
  }
  const nStrata = strataLabels.length;

  // PSUs nested in strata (nest = TRUE): a PSU is the pair (stratum, cluster label).
  const hasClusters = input.clusters != null;
  const psuCodes = new Int32Array(n);
  const psuStratumList: number[] = [];
  if (input.clusters != null) {
    checkLength('clusters', input.clusters.length);
    const c = codeColumn(input.clusters);
    const nc = c.labels.length;
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = strataCodes[i]! * nc + c.codes[i]!;
      let p = map.get(key);
      if (p === undefined) {
        p = psuStratumList.length;
        map.set(key, p);
        psuStratumList.push(strataCodes[i]!);
      }
      psuCodes[i] = p;
    }
  } else {
    for (let i = 0; i < n; i++) {
      psuCodes[i] = i;
      psuStratumList.push(strataCodes[i]!);
    }
  }
  const nPsu = psuStratumList.length;
  const psuStratum = Int32Array.from(psuStratumList);
  const psuPerStratum = new Int32Array(nStrata);
  for (let p = 0; p < nPsu; p++) psuPerStratum[psuStratum[p]!]! += 1;

  let fpcPopulation: Float64Array | null = null;
  if (input.fpc != null) {
    checkLength('fpc', input.fpc.length);
    fpcPopulation = new Float64Array(nStrata).fill(Number.NaN);
    let anyAbove1 = false;
    let allAtLeast1 = true;
    for (let i = 0; i < n; i++) {
      const f = Number(input.fpc[i]);
      if (!Number.isFinite(f) || f <= 0)
        throw new StatsError('BAD_INPUT', `第 ${i + 1} 行的有限总体校正值无效`, { row: i + 1 });
      if (f > 1) anyAbove1 = true;
      if (f < 1) allAtLeast1 = false;
    }
    // R as.fpc(): any value > 1 means population sizes (then all must be ≥ 1); otherwise sampling fractions.
    if (anyAbove1 && !allAtLeast1)
      throw new StatsError('BAD_INPUT', '有限总体校正值必须全部 ≥1(总体PSU数)或全部 ≤1(抽样比)');
    for (let i = 0; i < n; i++) {
      const h = strataCodes[i]!;
      const f = Number(input.fpc[i]);
      const pop = anyAbove1 ? f : psuPerStratum[h]! / f;
      const prev = fpcPopulation[h]!;
      if (!Number.isNaN(prev) && Math.abs(prev - pop) > 1e-9 * pop) {
        throw new StatsError('BAD_INPUT', `层「${strataLabels[h]}」内的有限总体校正值不一致`, {
          stratum: strataLabels[h],
        });
      }
      fpcPopulation[h] = pop;
    }
    for (let h = 0; h < nStrata; h++) {
      if (fpcPopulation[h]! < psuPerStratum[h]!) {
        throw new StatsError('BAD_INPUT', `层「${strataLabels[h]}」的有限总体校正意味着抽样比超过100%`, {
          stratum: strataLabels[h],
        });
      }
    }
  }

  return {
    n,
    weights,
    strataCodes,
    strataLabels,
    nStrata,
    hasStrata,
    psuCodes,
    nPsu,
    hasClusters,
    psuStratum,
    psuPerStratum,
    fpcPopulation,
    lonelyPsu: input.lonelyPsu ?? 'fail',
    calibration: null,
  };
}

/**
 * Design degrees of freedom over the rows where `include` is 1 (all rows if null): #PSUs − #strata among
 * them. Mirrors R `degf()` for a survey.design2 (`inset <- weights != 0`), which for a subset counts only
 * the PSUs and strata that still have rows.
 */
export function designDegreesOfFreedom(design: SurveyDesign, include: Uint8Array | null = null): number {
  if (include === null) {
    return design.nPsu - design.nStrata;
  }
  const psuSeen = new Uint8Array(design.nPsu);
  const strataSeen = new Uint8Array(design.nStrata);
  let psus = 0;
  let strata = 0;
  for (let i = 0; i < design.n; i++) {
    if (include[i] === 0) continue;
    const p = design.psuCodes[i]!;
    if (psuSeen[p] === 0) {
      psuSeen[p] = 1;
      psus++;
    }
    const h = design.strataCodes[i]!;
    if (strataSeen[h] === 0) {
      strataSeen[h] = 1;
      strata++;
    }
  }
  return psus - strata;
}
