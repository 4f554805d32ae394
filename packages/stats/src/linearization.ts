import {
  type DomainSums,
  type Statistic,
  accumulateDomains,
  domainDegreesOfFreedom,
  domainRowCount,
  marginInfluence,
  psuInfluence,
  srsVariance,
} from './accumulate';
import type { Calibration, SurveyDesign } from './design';
import { StatsError } from './errors';

/** A point estimate with its design-based precision. */
export interface Estimate {
  /** Respondents with an observed value (in the domain). */
  n: number;
  estimate: number;
  se: number;
  variance: number;
  /** Design effect, R `deff = TRUE` (SRS without replacement, N = Σw). */
  deff: number;
  /** Design degrees of freedom used for t-based intervals (R `degf()` of the domain). */
  df: number;
  /** Coefficient of variation se / estimate. */
  cv: number;
  /** Effective sample size n / deff. */
  effectiveN: number;
  /** Σw of the respondents used: the estimated population size of the domain. */
  populationSize: number;
  /** Rows of the domain, missing values included (R `nrow()` of the subset design; Korn–Graubard uses it). */
  domainRows: number;
}

/** Options shared by the estimators. */
export interface EstimateOptions {
  /**
   * Degrees of freedom from the domain rows with an observed value only (true) or from all domain rows
   * (false, default): R's `svyciprop(~y, subset(des, g == x))` takes `degf()` of the subset before
   * `na.rm` drops the missing rows.
   */
  dfNonMissingOnly?: boolean;
  /** Shift for numerically stable sums (default: the overall mean of y); pass it to reuse across calls. */
  shift?: number;
}

/**
 * Centre-and-sum of PSU totals within strata, as R's `onestage()`/`onestrat()` in `svyrecvar()` for one
 * column. `totals[p]` is the PSU total of the influence values; `present[p]` says whether the PSU still has
 * rows in the (sub)design R would pass along (for an uncalibrated design, `design[rows, ]` drops rows; R
 * still pads the stratum with zero PSUs up to its full-sample count `fpc$sampsize`).
 */
export function stratifiedVariance(
  design: SurveyDesign,
  totals: Float64Array,
  present: ArrayLike<number> | null,
  offset = 0,
): number {
  const { nStrata, nPsu, psuStratum, psuPerStratum, fpcPopulation, lonelyPsu } = design;
  const sum = new Float64Array(nStrata);
  const nSub = new Int32Array(nStrata);
  for (let p = 0; p < nPsu; p++) {
    if (present !== null && present[offset + p] === 0) continue; // absent: no observed row
    const h = psuStratum[p]!;
    sum[h]! += totals[p]!;
    nSub[h]! += 1;
  }
  const mean = new Float64Array(nStrata);
  const centre = new Uint8Array(nStrata);
  for (let h = 0; h < nStrata; h++) {
    const nh = psuPerStratum[h]!;
    // R centres unless lonely.psu = "adjust" and the stratum had a single PSU in the full sample: then the
    // PSU is left centred at the overall mean (the x passed in is already centred there).
    centre[h] = lonelyPsu !== 'adjust' || nSub[h]! > 1 || nh > 1 ? 1 : 0;
    mean[h] = centre[h] ? sum[h]! / nh : 0;
  }
  const ss = new Float64Array(nStrata);
  for (let p = 0; p < nPsu; p++) {
    if (present !== null && present[offset + p] === 0) continue; // absent: no observed row
    const h = psuStratum[p]!;
    const dev = totals[p]! - mean[h]!;
    ss[h]! += dev * dev;
  }
  let v = 0;
  let presentStrata = 0;
  let okStrata = 0;
  for (let h = 0; h < nStrata; h++) {
    if (nSub[h] === 0) continue; // R's tapply over factor(strata) of the subset: absent strata do not exist.
    presentStrata++;
    const nh = psuPerStratum[h]!;
    // Zero PSUs padded up to the full-sample count contribute (0 − mean)² each.
    const total = ss[h]! + (nh - nSub[h]!) * mean[h]! * mean[h]!;
    const f = fpcPopulation === null ? 1 : (fpcPopulation[h]! - nh) / fpcPopulation[h]!;
    if (f < 1e-7) {
      okStrata++; // self-representing stratum: no sampling variance
      continue;
    }
    if (nh > 1) {
      v += (total * f * nh) / (nh - 1);
      okStrata++;
      continue;
    }
    switch (lonelyPsu) {
      case 'fail':
        throw new StatsError(
          'LONELY_PSU',
          `层「${design.strataLabels[h]}」只有一个初级抽样单元(PSU),无法估计方差;请选择单PSU层的处理方式`,
          {
            stratum: design.strataLabels[h],
          },
        );
      case 'average':
        break; // NA in R: excluded, the rest is scaled up below.
      default:
        // certainty / remove: a centred single PSU is 0; adjust: the uncentred PSU total.
        v += f * total;
        okStrata++;
    }
  }
  if (okStrata === 0) return Number.NaN;
  return (v * presentStrata) / okStrata;
}

/**
 * Residualise PSU totals for calibration, as R's `svyrecvar()` does with `design$postStrata`:
 * raking iterates x ← x − psw·ave(x/psw, margin) 10 times over the margins; post-stratification applies
 * x ← x − psw·(Σ_g x·oldw/psw)/(Σ_g oldw) once. The projections are carried out on level totals (`marginU`)
 * and the precomputed cross tables, so no per-row pass is needed per domain.
 * @param psuTotals PSU totals of the unprojected influence values (modified in place)
 * @param marginTotals Σ x·rowFactor_k per level, already scaled like `psuTotals`
 */
export function projectCalibration(
  cal: Calibration,
  psuTotals: Float64Array,
  marginTotals: Float64Array[],
  nPsu: number,
): void {
  const K = cal.margins.length;
  const coef = cal.margins.map((m) => new Float64Array(m.nLevels));
  for (let sweep = 0; sweep < cal.sweeps; sweep++) {
    for (let k = 0; k < K; k++) {
      const mk = cal.margins[k]!;
      const Lk = mk.nLevels;
      const ck = coef[k]!;
      for (let g = 0; g < Lk; g++) {
        let m = marginTotals[k]![g]! / mk.denominator[g]!;
        for (let j = 0; j < K; j++) {
          const Lj = cal.margins[j]!.nLevels;
          const cj = coef[j]!;
          const C = cal.cross[k]![j]!;
          for (let l = 0; l < Lj; l++) m -= C[g * Lj + l]! * cj[l]!;
        }
        ck[g]! += m;
      }
    }
  }
  for (let k = 0; k < K; k++) {
    const m = cal.margins[k]!;
    const L = m.nLevels;
    const ck = coef[k]!;
    for (let p = 0; p < nPsu; p++) {
      let s = 0;
      for (let l = 0; l < L; l++) s += ck[l]! * m.pswByPsu[p * L + l]!;
      psuTotals[p]! -= s;
    }
  }
}

/** Linearization variance of domain d from accumulated sums (means are divided by Σw of the domain). */
export function domainLinearizedVariance(
  design: SurveyDesign,
  sums: DomainSums,
  d: number,
  statistic: Statistic,
): number {
  const nPsu = design.nPsu;
  const scale = statistic === 'mean' ? 1 / sums.sumW[d]! : 1;
  const totals = psuInfluence(sums, d, statistic);
  for (let p = 0; p < nPsu; p++) totals[p] = totals[p]! * scale;
  const cal = design.calibration;
  if (cal !== null) {
    const marginTotals = marginInfluence(
      sums,
      d,
      statistic,
      cal.margins.map((m) => m.nLevels),
    );
    for (const t of marginTotals) for (let g = 0; g < t.length; g++) t[g] = t[g]! * scale;
    projectCalibration(cal, totals, marginTotals, nPsu);
    // A calibrated design is subset by zero weights, so every PSU and stratum stays present (R).
    return stratifiedVariance(design, totals, null);
  }
  // An uncalibrated design is subset by dropping rows: only PSUs with observed rows of the domain remain.
  return stratifiedVariance(design, totals, sums.psuSumW, d * nPsu);
}

function buildEstimate(
  design: SurveyDesign,
  sums: DomainSums,
  d: number,
  statistic: Statistic,
  variance: number,
  opts: EstimateOptions,
): Estimate {
  const n = sums.count[d]!;
  const estimate = statistic === 'mean' ? sums.mean[d]! : sums.sumWR[d]! + sums.shift * sums.sumW[d]!;
  const se = Math.sqrt(variance);
  const deff = variance / srsVariance(sums, d, statistic);
  const domainRows = domainRowCount(sums, d);
  return {
    n,
    estimate,
    se,
    variance,
    deff,
    df: domainDegreesOfFreedom(design, sums, d, opts.dfNonMissingOnly ?? false),
    cv: se / estimate,
    effectiveN: n / deff,
    populationSize: sums.sumW[d]!,
    domainRows,
  };
}

function noData(domainRows: number): Estimate {
  return {
    n: 0,
    estimate: Number.NaN,
    se: Number.NaN,
    variance: Number.NaN,
    deff: Number.NaN,
    df: Number.NaN,
    cv: Number.NaN,
    effectiveN: Number.NaN,
    populationSize: 0,
    domainRows,
  };
}

/**
 * Linearization estimates for every domain of a grouping at once. `domainCodes[i]` ∈ [0, nDomains) or −1.
 * Each domain keeps the whole design (R `svyby(~y, ~g, des, svymean, na.rm = TRUE, deff = TRUE)`).
 */
export function linearizedDomains(
  design: SurveyDesign,
  y: Float64Array,
  domainCodes: Int32Array | null,
  nDomains: number,
  statistic: Statistic,
  opts: EstimateOptions = {},
): Estimate[] {
  if (y.length !== design.n)
    throw new StatsError('BAD_INPUT', `变量长度(${y.length})与样本量(${design.n})不一致`);
  const sums = accumulateDomains(design, y, domainCodes, nDomains, opts.shift);
  const out: Estimate[] = [];
  for (let d = 0; d < nDomains; d++) {
    if (sums.count[d] === 0) {
      out.push(noData(domainRowCount(sums, d)));
      continue;
    }
    const v = domainLinearizedVariance(design, sums, d, statistic);
    out.push(buildEstimate(design, sums, d, statistic, v, opts));
  }
  return out;
}

/**
 * Mean of y (NaN = missing) with Taylor-linearization variance. Mirrors R
 * `svymean(~y, design, na.rm = TRUE, deff = TRUE)` (calibration-aware after `rake()`/`postStratify()`).
 */
export function estimateMean(design: SurveyDesign, y: Float64Array, opts: EstimateOptions = {}): Estimate {
  return linearizedDomains(design, y, null, 1, 'mean', opts)[0]!;
}

/** Total of y (NaN = missing). Mirrors R `svytotal(~y, design, na.rm = TRUE, deff = TRUE)`. */
export function estimateTotal(design: SurveyDesign, y: Float64Array, opts: EstimateOptions = {}): Estimate {
  return linearizedDomains(design, y, null, 1, 'total', opts)[0]!;
}

/**
 * Domain means (or totals) keeping the whole design. Mirrors R
 * `svyby(~y, ~g, design, svymean, na.rm = TRUE, deff = TRUE)`; `levels[c]` names code c.
 * Returns one entry per level, in the order of `levels`.
 */
export function estimateDomains(
  design: SurveyDesign,
  y: Float64Array,
  domainCodes: Int32Array,
  levels: readonly string[],
  opts: EstimateOptions & { statistic?: Statistic } = {},
): { level: string; estimate: Estimate }[] {
  const est = linearizedDomains(design, y, domainCodes, levels.length, opts.statistic ?? 'mean', opts);
  return levels.map((level, i) => ({ level, estimate: est[i]! }));
}
