import {
  type CalibrationMargin,
  type CategoricalColumn,
  type Calibration,
  type SurveyDesign,
  categoricalRows,
  codeColumn,
} from './design';
import { StatsError } from './errors';

/** One raking margin: the sample column and the population count of each of its levels. */
export interface RakingMargin {
  /** Column name, used in error messages only. */
  name: string;
  values: CategoricalColumn;
  /** Population count per level label. */
  totals: Readonly<Record<string, number>>;
}

/** R `rake(control = list(maxit, epsilon))`. */
export interface RakingControl {
  /** Maximum sweeps over all margins (R default 10). */
  maxIter?: number;
  /**
   * Convergence tolerance on the change of the full cross-table of weighted counts between sweeps. Below 1 it
   * is relative to Σw (R multiplies it by the sum of sampling weights); ≥ 1 it is absolute. R default 1.
   */
  epsilon?: number;
  /**
   * Return the last weights instead of throwing when not converged (R only warns; the design's
   * `calibration.converged` says so). Default false.
   */
  allowNonConvergence?: boolean;
}

interface CodedMargin {
  name: string;
  codes: Int32Array;
  labels: string[];
  population: Float64Array;
}

function codeMargin(design: SurveyDesign, margin: RakingMargin): CodedMargin {
  if (categoricalRows(margin.values) !== design.n) {
    throw new StatsError('BAD_INPUT', `校准变量「${margin.name}」的长度与样本量不一致`, {
      margin: margin.name,
    });
  }
  const { codes, labels } = codeColumn(margin.values);
  const population = new Float64Array(labels.length);
  for (let l = 0; l < labels.length; l++) {
    const t = margin.totals[labels[l]!];
    // R postStratify(): "Strata in sample absent from population. This Can't Happen".
    if (t === undefined || !(t > 0)) {
      throw new StatsError(
        'MARGIN_NOT_COVERED',
        `校准变量「${margin.name}」的类别「${labels[l]}」在样本中出现,但没有给出总体数`,
        {
          margin: margin.name,
          level: labels[l],
        },
      );
    }
    population[l] = t;
  }
  // R postStratify(): a level whose respondents all weigh 0 is "absent from sample".
  const sampleW = new Float64Array(labels.length);
  for (let i = 0; i < design.n; i++) sampleW[codes[i]!]! += design.weights[i]!;
  for (let l = 0; l < labels.length; l++) {
    if (sampleW[l] === 0) {
      throw new StatsError(
        'MARGIN_NOT_COVERED',
        `校准变量「${margin.name}」的类别「${labels[l]}」的受访者权数全为 0,无法校准到其总体数`,
        { margin: margin.name, level: labels[l] },
      );
    }
  }
  for (const [label, t] of Object.entries(margin.totals)) {
    // R: "Some strata absent from sample: use partial=TRUE to ignore them."
    if (t > 0 && !labels.includes(label)) {
      throw new StatsError(
        'MARGIN_NOT_COVERED',
        `校准变量「${margin.name}」的类别「${label}」有总体数,但样本中没有该类别的受访者`,
        {
          margin: margin.name,
          level: label,
        },
      );
    }
  }
  return { name: margin.name, codes, labels, population };
}

/**
 * Post-stratify weights on one margin in place (R `postStratify()` step); `also` (the shadow weights of raking)
 * gets the same factors.
 */
function postStratifyStep(w: Float64Array, m: CodedMargin, also: Float64Array | null = null): void {
  const L = m.labels.length;
  const sample = new Float64Array(L);
  for (let i = 0; i < w.length; i++) sample[m.codes[i]!]! += w[i]!;
  const reweight = new Float64Array(L);
  for (let l = 0; l < L; l++) reweight[l] = m.population[l]! / sample[l]!;
  for (let i = 0; i < w.length; i++) w[i] = w[i]! * reweight[m.codes[i]!]!;
  if (also !== null) for (let i = 0; i < w.length; i++) also[i] = also[i]! * reweight[m.codes[i]!]!;
}

/**
 * Build the projection data (level sizes, PSU × level sums of psw, cross tables) for svyrecvar. `psws` are the
 * weights that PSU totals see; `crossPsws` those the projections see (they differ on zero-weight rows).
 */
function buildCalibration(
  design: SurveyDesign,
  coded: CodedMargin[],
  psws: Float64Array[],
  crossPsws: Float64Array[],
  rowFactors: Float64Array[],
  denominators: Float64Array[],
  kind: Calibration['kind'],
  converged: boolean,
  iterations: number,
  projectionWeights: Float64Array | null,
): Calibration {
  const n = design.n;
  const margins: CalibrationMargin[] = coded.map((m, k) => {
    const L = m.labels.length;
    const psw = psws[k]!;
    const pswByPsu = new Float64Array(design.nPsu * L);
    for (let i = 0; i < n; i++) pswByPsu[design.psuCodes[i]! * L + m.codes[i]!]! += psw[i]!;
    const pswByUnit = design.laterStages.map((st) => {
      const t = new Float64Array(st.nUnits * L);
      for (let i = 0; i < n; i++) t[st.unitCodes[i]! * L + m.codes[i]!]! += psw[i]!;
      return t;
    });
    return {
      codes: m.codes,
      nLevels: L,
      psw,
      rowFactor: rowFactors[k]!,
      denominator: denominators[k]!,
      pswByPsu,
      pswByUnit,
    };
  });
  const K = margins.length;
  const cross: Float64Array[][] = [];
  for (let k = 0; k < K; k++) {
    const mk = margins[k]!;
    const row: Float64Array[] = [];
    for (let j = 0; j < K; j++) {
      const mj = margins[j]!;
      const C = new Float64Array(mk.nLevels * mj.nLevels);
      const pj = crossPsws[j]!;
      for (let i = 0; i < n; i++) C[mk.codes[i]! * mj.nLevels + mj.codes[i]!]! += pj[i]! * mk.rowFactor[i]!;
      for (let g = 0; g < mk.nLevels; g++) {
        for (let l = 0; l < mj.nLevels; l++)
          C[g * mj.nLevels + l] = C[g * mj.nLevels + l]! / mk.denominator[g]!;
      }
      row.push(C);
    }
    cross.push(row);
  }
  return {
    kind,
    margins,
    sweeps: kind === 'raking' ? 10 : 1,
    cross,
    projectionWeights,
    converged,
    iterations,
  };
}

/**
 * Rake the weights to population margins by iterative proportional fitting. Mirrors R
 * `rake(design, list(~a, ~b, …), list(totals…), control = list(maxit, epsilon))`: each sweep post-stratifies
 * on every margin in turn; it stops when the largest change of the weighted cross-table of all margin
 * variables is below epsilon. The returned design keeps, per margin, the weights after that margin's last
 * step, so that means estimated from it get R's calibration-aware linearization variance.
 * @throws StatsError MARGIN_NOT_COVERED, RAKING_NOT_CONVERGED, UNSUPPORTED_DESIGN (already calibrated)
 */
export function rakeDesign(
  design: SurveyDesign,
  margins: readonly RakingMargin[],
  control: RakingControl = {},
): SurveyDesign {
  if (design.calibration !== null) {
    throw new StatsError('UNSUPPORTED_DESIGN', '该设计已经校准过,不支持再次校准');
  }
  if (margins.length === 0) throw new StatsError('BAD_INPUT', '至少需要一个校准边际');
  const maxIter = control.maxIter ?? 10;
  const epsilonIn = control.epsilon ?? 1;
  const n = design.n;
  const w = Float64Array.from(design.weights);
  let sumW = 0;
  for (let i = 0; i < n; i++) sumW += w[i]!;
  const epsilon = epsilonIn < 1 ? epsilonIn * sumW : epsilonIn;
  const coded = margins.map((m) => codeMargin(design, m));

  // Cells of the full cross-classification (R: svytable(~a + b + …)); only occupied cells can change.
  const cellMap = new Map<number, number>();
  const cell = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (const m of coded) key = key * m.labels.length + m.codes[i]!;
    let c = cellMap.get(key);
    if (c === undefined) {
      c = cellMap.size;
      cellMap.set(key, c);
    }
    cell[i] = c;
  }
  const nCells = cellMap.size;
  const table = (ww: Float64Array) => {
    const t = new Float64Array(nCells);
    for (let i = 0; i < n; i++) t[cell[i]!]! += ww[i]!;
    return t;
  };

  let oldTable = table(w);
  let iter = 0;
  let converged = false;
  const psws: Float64Array[] = coded.map(() => new Float64Array(n));
  // Shadow weights: 1 instead of 0 on zero-weight rows, reweighted alike: the factor g a row would get.
  const shadow = Float64Array.from(w, (x) => (x > 0 ? x : 1));
  const shadows: Float64Array[] = coded.map(() => new Float64Array(n));
  while (iter < maxIter) {
    for (let k = 0; k < coded.length; k++) {
      postStratifyStep(w, coded[k]!, shadow);
      psws[k]!.set(w);
      shadows[k]!.set(shadow);
    }
    const newTable = table(w);
    let delta = 0;
    for (let c = 0; c < nCells; c++) delta = Math.max(delta, Math.abs(oldTable[c]! - newTable[c]!));
    if (delta < epsilon) {
      converged = true;
      break;
    }
    oldTable = newTable;
    iter++;
  }
  if (!converged && !control.allowNonConvergence) {
    throw new StatsError(
      'RAKING_NOT_CONVERGED',
      `迭代比例拟合(raking)在 ${iter} 轮后仍未收敛;请检查边际总数是否相互一致,或放宽收敛标准`,
      {
        iterations: iter,
      },
    );
  }
  // Raking projections in svyrecvar use an unweighted mean of x/psw within each level. On a zero-weight row
  // x = psw = 0: R computes 0/0 = NaN and every standard error becomes NaN. Here the row takes the limit of a
  // vanishing weight ε: x/psw → (y − ȳ)/(Σw·g) and psw_j/psw_k → g_j/g_k (g: its shadow weight), while it adds
  // nothing to any PSU total (fixtures/survey/edges, run "raking with zero weights"). accumulateDomains feeds
  // such a row into the level sums with weight 1 × rowFactor.
  const rowFactors = shadows.map((sh) => Float64Array.from(sh, (x) => 1 / x));
  const denominators = coded.map((m) => {
    const c = new Float64Array(m.labels.length);
    for (let i = 0; i < n; i++) c[m.codes[i]!]! += 1;
    return c;
  });
  const calibration = buildCalibration(
    design,
    coded,
    psws,
    shadows,
    rowFactors,
    denominators,
    'raking',
    converged,
    iter,
    design.zeroWeightRows > 0 ? Float64Array.from(shadow) : null,
  );
  return { ...design, weights: w, calibration };
}

/**
 * Post-stratify the weights on one (possibly crossed) variable. Mirrors R `postStratify(design, ~g, pop)`;
 * the variance then removes post-stratum means as R's `svyrecvar()` does (x − psw·Σ(x·oldw/psw)/Σoldw).
 * @throws StatsError MARGIN_NOT_COVERED, UNSUPPORTED_DESIGN
 */
export function postStratifyDesign(design: SurveyDesign, margin: RakingMargin): SurveyDesign {
  if (design.calibration !== null)
    throw new StatsError('UNSUPPORTED_DESIGN', '该设计已经校准过,不支持再次校准');
  const n = design.n;
  const coded = codeMargin(design, margin);
  const oldw = Float64Array.from(design.weights);
  const w = Float64Array.from(design.weights);
  postStratifyStep(w, coded);
  const rowFactor = new Float64Array(n);
  const denominator = new Float64Array(coded.labels.length);
  // R svyrecvar: a row with psw = oldw = 0 gets psw = 1 in the projection (`psw[zeroes] = 1`).
  const psw = Float64Array.from(w, (x, i) => (x === 0 && oldw[i] === 0 ? 1 : x));
  for (let i = 0; i < n; i++) {
    rowFactor[i] = oldw[i]! / psw[i]!;
    denominator[coded.codes[i]!]! += oldw[i]!;
  }
  const calibration = buildCalibration(
    design,
    [coded],
    [psw],
    [psw],
    [rowFactor],
    [denominator],
    'poststratification',
    true,
    1,
    null,
  );
  return { ...design, weights: w, calibration };
}
