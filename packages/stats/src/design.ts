import { StatsError } from './errors';

/**
 * What to do with a stratum that has a single PSU, as R's `options(survey.lonely.psu = …)`:
 * - `fail`: error (R's default);
 * - `remove` / `certainty`: the stratum contributes nothing to the variance;
 * - `adjust`: the lonely PSU is centred at the overall mean instead of its stratum mean;
 * - `average`: the variance is scaled up by (#strata / #strata with ≥2 PSUs).
 */
export type LonelyPsuPolicy = 'fail' | 'remove' | 'adjust' | 'certainty' | 'average';

/**
 * A categorical column already coded, as a reader that interns labels makes it: `labels[codes[i]]` is row i's
 * label, −1 a missing value. Labels need not be distinct nor all used (equal labels are one level). Coding the
 * strings again is what it saves: the results are those of the string column it stands for.
 */
export interface CodedLabels {
  readonly codes: Int32Array;
  readonly labels: readonly string[];
}

/** A categorical column: labels per row, integer codes per row (labelled by their decimal text), or coded labels. */
export type CategoricalColumn = readonly string[] | Int32Array | CodedLabels;

/** Whether a column is {@link CodedLabels} (not an array of values). */
export function isCodedLabels(column: unknown): column is CodedLabels {
  return (
    typeof column === 'object' &&
    column !== null &&
    !Array.isArray(column) &&
    !ArrayBuffer.isView(column) &&
    (column as CodedLabels).codes instanceof Int32Array &&
    Array.isArray((column as CodedLabels).labels)
  );
}

/** A numeric column: one value per respondent. */
export type NumericColumn = Float64Array | readonly number[];

/** Input of {@link createDesign}. All arrays have one entry per respondent. */
export interface DesignInput {
  /**
   * w: inverse inclusion probability (design weight), one per respondent; finite and ≥ 0. A zero weight keeps the
   * respondent in the design (its PSU, n) but out of every total, as R does.
   */
  weights: Float64Array | readonly number[];
  /** First-stage strata; omitted = one stratum (R: `strata = NULL`). */
  strata?: CategoricalColumn | null;
  /**
   * Clusters, outermost first: one column (the PSUs) or one per stage (R `ids = ~psu + ssu + …`). A unit of a
   * later stage is always nested in its unit of the stage above (R makes it so). Omitted = every respondent is a
   * PSU (`ids = ~1`).
   */
  clusters?: CategoricalColumn | readonly CategoricalColumn[] | null;
  /**
   * Finite population correction of each stage (R `fpc = ~fpc1 + fpc2`): either the number of units in the
   * population of the stratum / unit above (all values ≥ 1) or the sampling fraction (all values ≤ 1). Omitted =
   * with-replacement variance of the first stage (R's "ultimate cluster"). When fewer stages have an fpc than
   * have clusters, the later stages were taken whole (R's documentation; R 4.1 itself stops).
   */
  fpc?: NumericColumn | readonly NumericColumn[] | null;
  /**
   * R `nest`: true (default here, unlike R) = PSU labels are only unique within a stratum; false = a label names
   * one PSU across the whole sample, and a PSU found in two strata is refused (R: "Clusters not nested in strata").
   */
  nest?: boolean;
  /** Lonely-PSU policy, R's `options(survey.lonely.psu)`. Default `fail`, as R. */
  lonelyPsu?: LonelyPsuPolicy;
}

/**
 * A stage after the first of a multistage design, kept only when it enters the variance (it has an fpc). Its
 * "strata" are the units of the stage above (R: `interaction(strata, ids[, s - 1])`).
 */
export interface DesignStage {
  /** 2 for the second stage, … */
  readonly stage: number;
  /** Unit of this stage of every row, 0 … nUnits−1. */
  readonly unitCodes: Int32Array;
  readonly nUnits: number;
  /** The unit of the stage above that each unit belongs to. */
  readonly parent: Int32Array;
  /** Units sampled in each unit of the stage above (R `fpc$sampsize`), indexed by that unit. */
  readonly sampled: Int32Array;
  /** Units in the population of each unit of the stage above (R `fpc$popsize`), indexed by that unit. */
  readonly population: Float64Array;
  /** Labels of the units of the stage above, for messages. */
  readonly parentLabels: readonly string[];
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
  /** raking: 1/psw (R uses an unweighted mean of x/psw; 0 on a zero-weight row); post-stratification: oldw/psw. */
  rowFactor: Float64Array;
  /** raking: rows per level; post-stratification: Σ oldw per level. */
  denominator: Float64Array;
  /** Σ psw per (PSU, level), row-major [psu * nLevels + level]. */
  pswByPsu: Float64Array;
  /** Σ psw per (unit, level) of every later stage of the design, in the order of `laterStages`. */
  pswByUnit: Float64Array[];
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
  /**
   * The final weights as the projections see them: the design weights, except that a zero-weight row has its
   * shadow weight (1 reweighted like the others: the limit of a vanishing weight). null = the design weights.
   */
  projectionWeights: Float64Array | null;
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
  /** Stratum label + PSU label of every PSU, for messages. */
  readonly psuLabels: readonly string[];
  /** Stages after the first that enter the variance (those with an fpc); [] for one stage or no fpc. */
  readonly laterStages: readonly DesignStage[];
  /** Cluster stages declared (0 without clusters). */
  readonly nStages: number;
  /** Rows with a zero weight: in the design, out of the totals. */
  readonly zeroWeightRows: number;
  readonly lonelyPsu: LonelyPsuPolicy;
  readonly calibration: Calibration | null;
}

/** Codes of a categorical column, labels in first-appearance order. */
export interface Coded {
  codes: Int32Array;
  labels: string[];
}

/**
 * Integer-code a categorical column once (labels in order of first appearance). Coded labels are renumbered the same
 * way, equal labels merged, so the result is that of the strings they stand for.
 * @throws StatsError BAD_INPUT for a missing value (code −1) of coded labels, naming the row.
 */
export function codeColumn(column: CategoricalColumn): Coded {
  if (isCodedLabels(column)) return recode(column);
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

/** Coded labels renumbered in order of first appearance, equal labels one code. */
function recode(column: CodedLabels): Coded {
  const { codes: from, labels: given } = column;
  // The first index of each distinct label: equal labels are one level, as their strings would be.
  const canonical = new Int32Array(given.length);
  const firstOf = new Map<string, number>();
  given.forEach((l, k) => {
    const f = firstOf.get(l);
    canonical[k] = f ?? k;
    if (f === undefined) firstOf.set(l, k);
  });
  const next = new Int32Array(given.length).fill(-1);
  const labels: string[] = [];
  const n = from.length;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = from[i]!;
    if (v < 0 || v >= given.length)
      throw new StatsError('BAD_INPUT', `第 ${i + 1} 行的分类值缺失`, { row: i + 1 });
    const k = canonical[v]!;
    let c = next[k]!;
    if (c < 0) {
      c = labels.length;
      next[k] = c;
      labels.push(given[k]!);
    }
    codes[i] = c;
  }
  return { codes, labels };
}

function isColumnList<T>(x: unknown): x is readonly T[] {
  return (
    Array.isArray(x) &&
    x.length > 0 &&
    x.every((c) => Array.isArray(c) || ArrayBuffer.isView(c) || isCodedLabels(c))
  );
}

/** Rows of a categorical column. */
export function categoricalRows(column: CategoricalColumn): number {
  return isCodedLabels(column) ? column.codes.length : column.length;
}

/** Stage number in Chinese messages: 第 2 阶段. */
const stageName = (s: number) => `第 ${s} 阶段`;

/**
 * Build a design. Mirrors R `svydesign(ids = ~psu [+ ssu …], strata = ~stratum, weights = ~w, fpc = ~f1 [+ f2 …],
 * nest = TRUE)`; without clusters it is `ids = ~1` (each respondent its own PSU).
 * @throws StatsError BAD_WEIGHT for a missing, non-finite or negative weight, or when every weight is 0;
 *   BAD_INPUT for length mismatches, an inconsistent fpc, or (nest: false) a PSU found in two strata.
 */
export function createDesign(input: DesignInput): SurveyDesign {
  const n = input.weights.length;
  if (n === 0) throw new StatsError('BAD_INPUT', '样本为空,无法建立抽样设计');
  const weights = new Float64Array(n);
  let zeroWeightRows = 0;
  for (let i = 0; i < n; i++) {
    const w = Number(input.weights[i]);
    if (!Number.isFinite(w) || w < 0) {
      throw new StatsError(
        'BAD_WEIGHT',
        `第 ${i + 1} 行的权数无效(${String(input.weights[i])}):权数必须是非负的有限数`,
        { row: i + 1, value: input.weights[i] },
      );
    }
    if (w === 0) zeroWeightRows++;
    weights[i] = w;
  }
  if (zeroWeightRows === n) throw new StatsError('BAD_WEIGHT', '所有受访者的权数都是 0,无法估计');
  const checkLength = (name: string, len: number) => {
    if (len !== n)
      throw new StatsError('BAD_INPUT', `${name} 列的长度(${len})与权数列(${n})不一致`, { name });
  };

  const hasStrata = input.strata != null;
  let strataCodes: Int32Array;
  let strataLabels: string[];
  if (input.strata != null) {
    checkLength('strata', categoricalRows(input.strata));
    const c = codeColumn(input.strata);
    strataCodes = c.codes;
    strataLabels = c.labels;
  } else {
    strataCodes = new Int32Array(n);
    strataLabels = ['1'];
  }
  const nStrata = strataLabels.length;

  const clusterColumns: readonly CategoricalColumn[] =
    input.clusters == null
      ? []
      : isColumnList<CategoricalColumn>(input.clusters)
        ? input.clusters
        : [input.clusters as CategoricalColumn];
  const fpcColumns: readonly NumericColumn[] =
    input.fpc == null
      ? []
      : isColumnList<NumericColumn>(input.fpc)
        ? input.fpc
        : [input.fpc as NumericColumn];
  if (fpcColumns.length > Math.max(clusterColumns.length, 1)) {
    throw new StatsError(
      'BAD_INPUT',
      `给出了 ${fpcColumns.length} 个阶段的有限总体校正,但只有 ${Math.max(clusterColumns.length, 1)} 个抽样阶段`,
    );
  }
  for (const c of clusterColumns) checkLength('clusters', categoricalRows(c));
  for (const c of fpcColumns) checkLength('fpc', c.length);

  // Stage-1 PSUs: with nest, the pair (stratum, label); without, the label (which must stay in one stratum).
  const nest = input.nest ?? true;
  const hasClusters = clusterColumns.length > 0;
  const psuCodes = new Int32Array(n);
  const psuStratumList: number[] = [];
  const psuLabels: string[] = [];
  if (hasClusters) {
    const c = codeColumn(clusterColumns[0]!);
    const nc = c.labels.length;
    const map = new Map<number, number>();
    // Rows mostly run in PSUs: the previous row's key and PSU first, the map only when the key changes.
    let lastKey = -1;
    let lastPsu = -1;
    for (let i = 0; i < n; i++) {
      const h = strataCodes[i]!;
      const key = nest ? h * nc + c.codes[i]! : c.codes[i]!;
      if (key === lastKey && psuStratumList[lastPsu] === h) {
        psuCodes[i] = lastPsu;
        continue;
      }
      let p = map.get(key);
      if (p === undefined) {
        p = psuStratumList.length;
        map.set(key, p);
        psuStratumList.push(h);
        psuLabels.push(hasStrata ? `${strataLabels[h]}/${c.labels[c.codes[i]!]}` : c.labels[c.codes[i]!]!);
      } else if (psuStratumList[p] !== h) {
        const label = c.labels[c.codes[i]!]!;
        throw new StatsError(
          'BAD_INPUT',
          `初级抽样单元「${label}」出现在层「${strataLabels[psuStratumList[p]!]}」和「${strataLabels[h]}」中(nest: false 要求单元编号在全样本唯一);如果各层的单元各自编号,请设 nest: true`,
          { psu: label },
        );
      }
      psuCodes[i] = p;
      lastKey = key;
      lastPsu = p;
    }
  } else {
    for (let i = 0; i < n; i++) {
      psuCodes[i] = i;
      psuStratumList.push(strataCodes[i]!);
      psuLabels.push(String(i + 1));
    }
  }
  const nPsu = psuStratumList.length;
  const psuStratum = Int32Array.from(psuStratumList);
  const psuPerStratum = new Int32Array(nStrata);
  for (let p = 0; p < nPsu; p++) psuPerStratum[psuStratum[p]!]! += 1;

  // R as.fpc(): over all stages, any value > 1 means population sizes (then all must be ≥ 1); else fractions.
  let anyAbove1 = false;
  let allAtLeast1 = true;
  fpcColumns.forEach((col, s) => {
    for (let i = 0; i < n; i++) {
      const f = Number(col[i]);
      if (!Number.isFinite(f) || f <= 0)
        throw new StatsError(
          'BAD_INPUT',
          `第 ${i + 1} 行${fpcColumns.length > 1 ? `${stageName(s + 1)}` : ''}的有限总体校正值无效`,
          { row: i + 1, stage: s + 1 },
        );
      if (f > 1) anyAbove1 = true;
      if (f < 1) allAtLeast1 = false;
    }
  });
  if (anyAbove1 && !allAtLeast1)
    throw new StatsError('BAD_INPUT', '有限总体校正值必须全部 ≥1(总体单元数)或全部 ≤1(抽样比)');

  /** Population units per group (stratum or unit above) from one fpc column; checks constancy and ≤ 100%. */
  const populationOf = (
    col: NumericColumn,
    groupOfRow: (i: number) => number,
    sampled: Int32Array,
    label: (g: number) => string,
    stage: number,
  ): Float64Array => {
    const pop = new Float64Array(sampled.length).fill(Number.NaN);
    for (let i = 0; i < n; i++) {
      const g = groupOfRow(i);
      const f = Number(col[i]);
      const value = anyAbove1 ? f : sampled[g]! / f;
      const prev = pop[g]!;
      if (!Number.isNaN(prev) && Math.abs(prev - value) > 1e-9 * value) {
        throw new StatsError(
          'BAD_INPUT',
          stage === 1
            ? `层「${label(g)}」内的有限总体校正值不一致`
            : `${stageName(stage)}:单元「${label(g)}」内的有限总体校正值不一致`,
          { stratum: label(g), stage },
        );
      }
      pop[g] = value;
    }
    for (let g = 0; g < sampled.length; g++) {
      if (pop[g]! < sampled[g]! * (1 - 1e-12)) {
        throw new StatsError(
          'BAD_INPUT',
          stage === 1
            ? `层「${label(g)}」的有限总体校正意味着抽样比超过100%`
            : `${stageName(stage)}:单元「${label(g)}」的有限总体校正意味着抽样比超过100%`,
          { stratum: label(g), stage },
        );
      }
    }
    return pop;
  };

  const fpcPopulation =
    fpcColumns.length > 0
      ? populationOf(
          fpcColumns[0]!,
          (i) => strataCodes[i]!,
          psuPerStratum,
          (h) => strataLabels[h]!,
          1,
        )
      : null;

  // Later stages enter the variance only with their fpc (R recurses into stages only when fpc is given).
  const laterStages: DesignStage[] = [];
  let parentCodes = psuCodes;
  let parentLabels: readonly string[] = psuLabels;
  for (let s = 1; s < Math.min(clusterColumns.length, fpcColumns.length); s++) {
    const c = codeColumn(clusterColumns[s]!);
    const nc = c.labels.length;
    const map = new Map<number, number>();
    const unitCodes = new Int32Array(n);
    const parentList: number[] = [];
    const labels: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = parentCodes[i]! * nc + c.codes[i]!;
      let u = map.get(key);
      if (u === undefined) {
        u = parentList.length;
        map.set(key, u);
        parentList.push(parentCodes[i]!);
        labels.push(`${parentLabels[parentCodes[i]!]}/${c.labels[c.codes[i]!]}`);
      }
      unitCodes[i] = u;
    }
    const parent = Int32Array.from(parentList);
    const sampled = new Int32Array(parentLabels.length);
    for (let u = 0; u < parent.length; u++) sampled[parent[u]!]! += 1;
    const pc = parentCodes;
    const pl = parentLabels;
    const population = populationOf(
      fpcColumns[s]!,
      (i) => pc[i]!,
      sampled,
      (g) => pl[g]!,
      s + 1,
    );
    laterStages.push({
      stage: s + 1,
      unitCodes,
      nUnits: parent.length,
      parent,
      sampled,
      population,
      parentLabels: pl,
    });
    parentCodes = unitCodes;
    parentLabels = labels;
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
    psuLabels,
    laterStages,
    nStages: clusterColumns.length,
    zeroWeightRows,
    lonelyPsu: input.lonelyPsu ?? 'fail',
    calibration: null,
  };
}

/**
 * Design degrees of freedom over the rows where `include` is 1 (all rows if null): #PSUs − #strata among the
 * rows with a non-zero weight. Mirrors R `degf()` for a survey.design2 (`inset <- weights != 0`), which for a
 * subset counts only the PSUs and strata that still have rows.
 */
export function designDegreesOfFreedom(design: SurveyDesign, include: Uint8Array | null = null): number {
  if (include === null && design.zeroWeightRows === 0) {
    return design.nPsu - design.nStrata;
  }
  const psuSeen = new Uint8Array(design.nPsu);
  const strataSeen = new Uint8Array(design.nStrata);
  let psus = 0;
  let strata = 0;
  for (let i = 0; i < design.n; i++) {
    if ((include !== null && include[i] === 0) || design.weights[i] === 0) continue;
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
