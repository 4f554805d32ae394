import {
  type DomainSums,
  type Statistic,
  accumulateDomains,
  domainDegreesOfFreedom,
  domainRowCount,
  hasZeroVariance,
  isDegenerate,
  marginInfluence,
  pointEstimate,
  psuInfluence,
  srsVariance,
  stageInfluence,
} from './accumulate';
import type { Calibration, DesignStage, SurveyDesign } from './design';
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
  /**
   * Every observed value of the domain (non-zero weight) is the same: the estimate is that value exactly, the
   * design effect undefined (NaN), and the variance exactly 0 unless zero-weight rows with another value move
   * it (see {@link hasZeroVariance}).
   */
  degenerate: boolean;
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

/** The units of one stage grouped in their strata, as R's `onestage()` sees them. */
interface StageGroups {
  stage: number;
  nUnits: number;
  /** Stratum (for a later stage: unit of the stage above) of every unit. */
  unitStratum: Int32Array;
  nStrata: number;
  /** Units sampled per stratum (R `fpc$sampsize`), kept when rows are excluded. */
  sampled: Int32Array;
  /** Units in the population per stratum (R `fpc$popsize`), or null: with replacement. */
  population: Float64Array | null;
  label: (h: number) => string;
}

function firstStage(design: SurveyDesign): StageGroups {
  return {
    stage: 1,
    nUnits: design.nPsu,
    unitStratum: design.psuStratum,
    nStrata: design.nStrata,
    sampled: design.psuPerStratum,
    population: design.fpcPopulation,
    label: (h) => design.strataLabels[h]!,
  };
}

function laterStage(st: DesignStage): StageGroups {
  return {
    stage: st.stage,
    nUnits: st.nUnits,
    unitStratum: st.parent,
    nStrata: st.sampled.length,
    sampled: st.sampled,
    population: st.population,
    label: (h) => st.parentLabels[h]!,
  };
}

/**
 * Variance of one stage, R's `onestage()`/`onestrat()` for one column: PSU (unit) totals centred within strata,
 * absent units padded with zeros up to the sampled count, scaled by f·n/(n−1), lonely units by the policy, and
 * the sum scaled by #strata/#strata with a variance (`average`). `only`, when given, restricts to the strata it
 * flags (a later stage is computed per unit of the stage above); `out`, when given, receives the variance of
 * every stratum instead of the sum (NaN for an `average` lonely stratum) and the return value is unused.
 */
function onestageVariance(
  g: StageGroups,
  lonelyPsu: SurveyDesign['lonelyPsu'],
  totals: Float64Array,
  present: ArrayLike<number> | null,
  offset: number,
  out: Float64Array | null = null,
): number {
  const { nStrata, nUnits, unitStratum, sampled, population } = g;
  const sum = new Float64Array(nStrata);
  const nSub = new Int32Array(nStrata);
  for (let p = 0; p < nUnits; p++) {
    if (present !== null && present[offset + p] === 0) continue; // absent: not in R's row subset
    const h = unitStratum[p]!;
    sum[h]! += totals[p]!;
    nSub[h]! += 1;
  }
  const mean = new Float64Array(nStrata);
  for (let h = 0; h < nStrata; h++) {
    const nh = sampled[h]!;
    // R centres unless lonely.psu = "adjust" and the stratum had a single unit in the full sample: then the
    // unit is left centred at the overall mean (the x passed in is already centred there).
    const centre = lonelyPsu !== 'adjust' || nSub[h]! > 1 || nh > 1;
    mean[h] = centre ? sum[h]! / nh : 0;
  }
  const ss = new Float64Array(nStrata);
  for (let p = 0; p < nUnits; p++) {
    if (present !== null && present[offset + p] === 0) continue;
    const h = unitStratum[p]!;
    const dev = totals[p]! - mean[h]!;
    ss[h]! += dev * dev;
  }
  let v = 0;
  let presentStrata = 0;
  let okStrata = 0;
  for (let h = 0; h < nStrata; h++) {
    if (nSub[h] === 0) continue; // R's tapply over factor(strata) of the subset: absent strata do not exist.
    presentStrata++;
    const nh = sampled[h]!;
    // Zero units padded up to the full-sample count contribute (0 − mean)² each.
    const total = ss[h]! + (nh - nSub[h]!) * mean[h]! * mean[h]!;
    const f = population === null ? 1 : (population[h]! - nh) / population[h]!;
    let vh: number;
    if (f < 1e-7)
      vh = 0; // taken whole: no sampling variance
    else if (nh > 1) vh = (total * f * nh) / (nh - 1);
    else {
      switch (lonelyPsu) {
        case 'fail':
          throw new StatsError(
            'LONELY_PSU',
            g.stage === 1
              ? `层「${g.label(h)}」只有一个初级抽样单元(PSU),无法估计方差;请选择单PSU层的处理方式`
              : `第 ${g.stage} 阶段:单元「${g.label(h)}」内只抽了一个第 ${g.stage} 阶段单元,无法估计该阶段的方差;请选择单PSU层的处理方式`,
            { stratum: g.label(h), stage: g.stage },
          );
        case 'average':
          vh = Number.NaN; // NA in R: excluded, the rest is scaled up below.
          break;
        default:
          // certainty / remove: a centred single unit is 0; adjust: the uncentred unit total.
          vh = f * total;
      }
    }
    if (out !== null) out[h] = vh;
    if (Number.isNaN(vh)) continue;
    v += vh;
    okStrata++;
  }
  if (okStrata === 0) return Number.NaN;
  return (v * presentStrata) / okStrata;
}

/**
 * Centre-and-sum of PSU totals within strata, as R's `onestage()`/`onestrat()` in `svyrecvar()` for one
 * column (the first stage only). `totals[p]` is the PSU total of the influence values; `present[offset + p]`
 * says whether the PSU still has rows in the (sub)design R would pass along (for an uncalibrated design,
 * `design[rows, ]` drops rows; R still pads the stratum with zero PSUs up to its full-sample count
 * `fpc$sampsize`).
 */
export function stratifiedVariance(
  design: SurveyDesign,
  totals: Float64Array,
  present: ArrayLike<number> | null,
  offset = 0,
): number {
  return onestageVariance(firstStage(design), design.lonelyPsu, totals, present, offset);
}

/**
 * Multistage variance, R's `multistage()`: the first stage, plus for every later stage with an fpc the variance
 * of its units within each unit of the stage above, weighted by the sampling fractions n/N of all the stages
 * above (R recurses with `* nPSUs/fpcs`). `stageTotals[s]` and `stagePresent[s]` are the totals and presence of
 * the units of `design.laterStages[s]`, at `offset * nUnits`.
 */
export function multistageVariance(
  design: SurveyDesign,
  psuTotals: Float64Array,
  psuPresent: ArrayLike<number> | null,
  psuOffset: number,
  stageTotals: readonly Float64Array[],
  stagePresent: readonly (ArrayLike<number> | null)[],
  stageOffsets: readonly number[],
): number {
  const first = firstStage(design);
  let v = onestageVariance(first, design.lonelyPsu, psuTotals, psuPresent, psuOffset);
  if (design.laterStages.length === 0) return v;
  // factor[u]: product of the sampling fractions of the stages above unit u (first stage: n_h/N_h).
  let factor = new Float64Array(design.nPsu);
  for (let p = 0; p < design.nPsu; p++) {
    const h = design.psuStratum[p]!;
    factor[p] = design.psuPerStratum[h]! / design.fpcPopulation![h]!;
  }
  design.laterStages.forEach((st, s) => {
    const groups = laterStage(st);
    const perParent = new Float64Array(groups.nStrata).fill(Number.NaN);
    // Within each unit of the stage above: one stratum, so R's #strata/#ok scaling is 1 or (lonely average) NaN.
    onestageVariance(
      groups,
      design.lonelyPsu,
      stageTotals[s]!,
      stagePresent[s]!,
      stageOffsets[s]!,
      perParent,
    );
    const present = stagePresent[s] ?? null;
    const seen = new Uint8Array(groups.nStrata);
    for (let u = 0; u < st.nUnits; u++) {
      if (present !== null && present[stageOffsets[s]! + u] === 0) continue;
      seen[st.parent[u]!] = 1;
    }
    for (let q = 0; q < groups.nStrata; q++) if (seen[q]) v += factor[q]! * perParent[q]!;
    const next = new Float64Array(st.nUnits);
    for (let u = 0; u < st.nUnits; u++) {
      const q = st.parent[u]!;
      next[u] = factor[q]! * (st.sampled[q]! / st.population[q]!);
    }
    factor = next;
  });
  return v;
}

/**
 * Residualise PSU totals for calibration, as R's `svyrecvar()` does with `design$postStrata`:
 * raking iterates x ← x − psw·ave(x/psw, margin) 10 times over the margins; post-stratification applies
 * x ← x − psw·(Σ_g x·oldw/psw)/(Σ_g oldw) once. The projections are carried out on level totals (`marginU`)
 * and the precomputed cross tables, so no per-row pass is needed per domain.
 * @param psuTotals PSU totals of the unprojected influence values (modified in place)
 * @param marginTotals Σ x·rowFactor_k per level, already scaled like `psuTotals`
 * @param stageTotals unit totals of every later stage of a multistage design (modified in place)
 */
export function projectCalibration(
  cal: Calibration,
  psuTotals: Float64Array,
  marginTotals: Float64Array[],
  nPsu: number,
  stageTotals: readonly Float64Array[] = [],
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
    stageTotals.forEach((totals, st) => {
      const byUnit = m.pswByUnit[st]!;
      for (let u = 0; u < totals.length; u++) {
        let s = 0;
        for (let l = 0; l < L; l++) s += ck[l]! * byUnit[u * L + l]!;
        totals[u]! -= s;
      }
    });
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
  const stageTotals = sums.stages.map((_, s) => {
    const t = stageInfluence(sums, s, d, statistic);
    for (let u = 0; u < t.length; u++) t[u] = t[u]! * scale;
    return t;
  });
  const cal = design.calibration;
  if (cal !== null) {
    const marginTotals = marginInfluence(
      sums,
      d,
      statistic,
      cal.margins.map((m) => m.nLevels),
    );
    for (const t of marginTotals) for (let g = 0; g < t.length; g++) t[g] = t[g]! * scale;
    projectCalibration(cal, totals, marginTotals, nPsu, stageTotals);
    // A calibrated design is subset by zero weights, so every unit and stratum stays present (R).
    return multistageVariance(
      design,
      totals,
      null,
      0,
      stageTotals,
      stageTotals.map(() => null),
      stageTotals.map(() => 0),
    );
  }
  // An uncalibrated design is subset by dropping rows: only units with observed rows of the domain remain
  // (a zero-weight row keeps its unit: R drops rows, not weights).
  return multistageVariance(
    design,
    totals,
    sums.psuObserved,
    d * nPsu,
    stageTotals,
    sums.stages.map((st) => st.observed),
    sums.stages.map((st) => d * st.nUnits),
  );
}

/**
 * Assemble an estimate from its variance: the point estimate (exact for a degenerate domain, never outside the
 * observed range), se, design effect (NaN when undefined or when the domain is degenerate) and the rest.
 * `srsN` is the n of R's deff (see {@link srsVariance}).
 */
export function finishEstimate(
  sums: DomainSums,
  d: number,
  statistic: Statistic,
  variance: number,
  df: number,
  srsN: number,
  zeroRowsMatter: boolean,
): Estimate {
  const n = sums.count[d]!;
  const degenerate = isDegenerate(sums, d);
  const estimate = pointEstimate(sums, d, statistic);
  const v = hasZeroVariance(sums, d, zeroRowsMatter) ? 0 : variance;
  const se = Math.sqrt(v);
  const deff = degenerate ? Number.NaN : v / srsVariance(sums, d, statistic, srsN);
  return {
    n,
    estimate,
    se,
    variance: v,
    deff,
    df,
    cv: se / estimate,
    effectiveN: n / deff,
    populationSize: sums.sumW[d]!,
    domainRows: domainRowCount(sums, d),
    degenerate,
  };
}

/** The estimate of a domain without data (no observed value, or only zero weights): NaN. */
export function noData(sums: DomainSums, d: number): Estimate {
  return {
    n: sums.count[d]!,
    estimate: Number.NaN,
    se: Number.NaN,
    variance: Number.NaN,
    deff: Number.NaN,
    df: Number.NaN,
    cv: Number.NaN,
    effectiveN: Number.NaN,
    populationSize: sums.sumW[d]!,
    domainRows: domainRowCount(sums, d),
    degenerate: false,
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
    if (sums.countPositive[d] === 0) {
      out.push(noData(sums, d));
      continue;
    }
    // Computed even for a degenerate domain, so a lonely PSU fails as in R; finishEstimate makes it exactly 0.
    const v = domainLinearizedVariance(design, sums, d, statistic);
    const df = domainDegreesOfFreedom(design, sums, d, opts.dfNonMissingOnly ?? false);
    // R's deff counts the rows with a non-zero weight (`sum(weights(design) != 0)`).
    const zeroRowsMatter = design.calibration?.projectionWeights != null;
    out.push(finishEstimate(sums, d, statistic, v, df, sums.countPositive[d]!, zeroRowsMatter));
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
