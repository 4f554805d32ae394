import { type CiMethod, proportionCi } from './ci';
import {
  type CategoricalColumn,
  type CodedLabels,
  type LonelyPsuPolicy,
  type SurveyDesign,
  createDesign,
  isCodedLabels,
} from './design';
import { overallMean } from './accumulate';
import { studentQuantile } from './distributions';
import { StatsError, type StatsErrorCode } from './errors';
import { type Estimate, linearizedDomains } from './linearization';
import { rakeDesign } from './raking';
import {
  type ReplicateDesign,
  type ReplicateType,
  replicateDesign,
  replicateDomains,
  suppliedReplicateDesign,
} from './replicate';

/** Replicate weights shipped in the data (R `svrepdesign()`), as a design file names them. */
export interface ReplicatesSpec {
  /**
   * The replicate-weight columns: a name pattern where `*` is any text and `?` one character (matched in the order
   * of the data's columns, as R's `repweights = "repw[0-9]+"`), or the column names in replicate order.
   */
  columns: string | readonly string[];
  type: ReplicateType;
  /** R `scale` (see {@link SuppliedReplicates} for the defaults). */
  scale?: number | null;
  /** R `rscales`: one per replicate, or one for all. */
  rscales?: number | readonly number[] | null;
  /** Fay's ρ. */
  rho?: number | null;
  /** The replicate weights include the sampling weight (R `combined.weights`, default true). */
  combined?: boolean;
  /** Centre at the full-sample estimate (R `mse`, default false). */
  mse?: boolean;
}

/** The design description stored with a survey wave (shape of the fixtures' design.json). */
export interface DesignSpec {
  /** Weight column (w: inverse inclusion probability; 0 allowed). */
  weights: string;
  strata?: string | null;
  /** PSU column, or one column per stage (outermost first); null = no clusters (R `ids = ~1`). */
  clusters?: string | readonly string[] | null;
  /** Finite population correction column(s), one per stage (population units, or sampling fractions). */
  fpc?: string | readonly string[] | null;
  /** R `nest`; default true (PSU labels unique only within their stratum). */
  nest?: boolean;
  lonelyPsu?: LonelyPsuPolicy;
  raking?: {
    margins: { variable: string; totals: Record<string, number> }[];
    maxIter?: number;
    epsilon?: number;
  } | null;
  /** Replicate weights in the data, used by method `replicates`. */
  replicates?: ReplicatesSpec | null;
}

/**
 * Variance method of {@link estimate}: the record's `method` field repeats it. `jkn`, `jk1`, `brr`, `bootstrap`
 * make replicate weights from the design (R `as.svrepdesign`); `replicates` uses those supplied in the data.
 */
export type EstimateMethod = 'linearization' | 'raking' | 'jkn' | 'jk1' | 'brr' | 'bootstrap' | 'replicates';

/**
 * A column of raw values: numbers, numeric strings, '' / 'NA' / null for missing; or labels already coded by a
 * reader (code −1 missing), which give the same results as the array of their strings without coding them again.
 */
export type ColumnData =
  | readonly (string | number | null | undefined)[]
  | Float64Array
  | Int32Array
  | CodedLabels;

/** Input of {@link estimate}. */
export interface EstimateRequest {
  columns: Readonly<Record<string, ColumnData>>;
  design: DesignSpec;
  method: EstimateMethod;
  /**
   * Breakdowns. A string is one column; an array crosses columns: its records get `by` = the names joined
   * with "," (e.g. "area,gender") and `domain` = the levels joined with "," (e.g. "城镇,女").
   */
  by?: readonly (string | readonly string[])[];
  variables: readonly string[];
  /** Interval for 0/1 variables; default `logit` (R svyciprop "xlogit"). Other variables get a Wald interval. */
  ciMethod?: CiMethod;
  level?: number;
  /** Bootstrap replicates (default 50) and seed (R's `set.seed(seed)`; default 20250101). */
  replicates?: number;
  seed?: number;
  /** Every warning (raking not converged, a guessed replicate scale, …) is an error instead. */
  strict?: boolean;
}

/**
 * Why a record is special, each with a fixed Chinese explanation in consumers:
 * - `all_zero` / `all_one`: every observed value of the domain is 0 (1): the estimate is exactly 0 (1), its se 0,
 *   no design effect and no logit interval (R's interval is NaN);
 * - `constant`: the same for a mean-type variable whose observed values are all equal;
 * - `no_data`: no observed value with a non-zero weight: nothing to estimate;
 * - `no_df`: the domain has no design degrees of freedom: no interval;
 * - `no_variance`: the variance is undefined (e.g. lonely units under `average` with nothing to average): no se;
 * - `raking_not_converged`: raking stopped at its iteration limit (R warns and goes on; so does this).
 */
export type EstimateFlag =
  | 'all_zero'
  | 'all_one'
  | 'constant'
  | 'no_data'
  | 'no_df'
  | 'no_variance'
  | 'raking_not_converged';

/**
 * One estimate: the fields of the fixtures' expected.json plus the kind, df and flags. A 0/1 variable is a
 * proportion with a logit interval; any other variable a mean with a Wald (t) interval. Undefined numbers are
 * null, never NaN.
 */
export interface EstimateRecord {
  method: EstimateMethod;
  by: string | null;
  domain: string | null;
  variable: string;
  kind: 'proportion' | 'mean';
  /** Respondents of the domain with an observed value (zero weights included). */
  n: number;
  estimate: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** How the interval was made: the request's method for proportions, `wald` for means; null without one. */
  ciMethod: CiMethod | null;
  deff: number | null;
  /** Design degrees of freedom of the domain (R `degf()`), used for the t quantile. */
  df: number | null;
  flags: EstimateFlag[];
}

/** A condition R warns about and goes on; `code` is the error it becomes under `strict`. */
export interface StatsWarning {
  code: StatsErrorCode;
  message: string;
}

function column(columns: EstimateRequest['columns'], name: string): ColumnData {
  const c = columns[name];
  if (c === undefined) throw new StatsError('MISSING_COLUMN', `数据中缺少列「${name}」`, { column: name });
  return c;
}

function isMissing(v: unknown): boolean {
  return (
    v === null || v === undefined || v === '' || v === 'NA' || (typeof v === 'number' && Number.isNaN(v))
  );
}

/** One value of a numeric column: missing → NaN, not a number → null. */
function numberOf(v: unknown): number | null {
  if (isMissing(v)) return Number.NaN;
  const x = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isFinite(x) ? x : null;
}

function notANumber(name: string, row: number, v: unknown): StatsError {
  return new StatsError('BAD_INPUT', `列「${name}」第 ${row} 行的值「${String(v)}」不是数字`, {
    column: name,
    row,
  });
}

/** Numeric column; missing → NaN. Coded labels are read as numbers once per label. */
function numericColumn(columns: EstimateRequest['columns'], name: string): Float64Array {
  const c = column(columns, name);
  if (c instanceof Float64Array) return c;
  if (isCodedLabels(c)) {
    const values = c.labels.map(numberOf);
    const out = new Float64Array(c.codes.length);
    for (let i = 0; i < out.length; i++) {
      const k = c.codes[i]!;
      const x = k < 0 ? Number.NaN : values[k];
      if (x === null || x === undefined) throw notANumber(name, i + 1, c.labels[k]);
      out[i] = x;
    }
    return out;
  }
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const x = numberOf(c[i]);
    if (x === null) throw notANumber(name, i + 1, c[i]);
    out[i] = x;
  }
  return out;
}

/** Categorical column as strings; missing (null/undefined) stays null. */
function labelColumn(columns: EstimateRequest['columns'], name: string): (string | null)[] {
  return labelsOf(column(columns, name));
}

/** A column as strings, missing (null/undefined, code −1) null. */
function labelsOf(c: ColumnData): (string | null)[] {
  if (isCodedLabels(c)) {
    const out: (string | null)[] = new Array(c.codes.length);
    for (let i = 0; i < out.length; i++) {
      const k = c.codes[i]!;
      out[i] = k < 0 ? null : c.labels[k]!;
    }
    return out;
  }
  const out: (string | null)[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    out[i] = v === null || v === undefined ? null : String(v);
  }
  return out;
}

function requiredLabels(columns: EstimateRequest['columns'], name: string): CategoricalColumn {
  const c = column(columns, name);
  if (isCodedLabels(c)) {
    // Used as coded (createDesign / rakeDesign code them without strings); a missing value refused as below.
    let at = -1;
    for (let i = 0; i < c.codes.length && at < 0; i++)
      if (c.codes[i]! < 0 || c.codes[i]! >= c.labels.length) at = i;
    if (at >= 0)
      throw new StatsError('BAD_INPUT', `设计变量「${name}」第 ${at + 1} 行缺失`, {
        column: name,
        row: at + 1,
      });
    return c;
  }
  // Fast path: an array of strings is used as is.
  if (Array.isArray(c) && c.every((v) => typeof v === 'string')) return c as readonly string[];
  const labels = labelColumn(columns, name);
  const out: string[] = new Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v === null || v === undefined)
      throw new StatsError('BAD_INPUT', `设计变量「${name}」第 ${i + 1} 行缺失`, {
        column: name,
        row: i + 1,
      });
    out[i] = v;
  }
  return out;
}

const asList = (x: string | readonly string[] | null | undefined): readonly string[] =>
  x == null ? [] : typeof x === 'string' ? [x] : x;

/**
 * Build the design of a spec from raw columns: R `svydesign(ids = ~c1 + c2 …, strata, weights, fpc = ~f1 + f2 …,
 * nest)`.
 */
export function designFromSpec(columns: EstimateRequest['columns'], spec: DesignSpec): SurveyDesign {
  const weights = numericColumn(columns, spec.weights);
  for (let i = 0; i < weights.length; i++) {
    if (Number.isNaN(weights[i]!))
      throw new StatsError('BAD_WEIGHT', `第 ${i + 1} 行的权数缺失`, { row: i + 1 });
  }
  const clusters = asList(spec.clusters);
  const fpc = asList(spec.fpc);
  return createDesign({
    weights,
    strata: spec.strata ? requiredLabels(columns, spec.strata) : null,
    clusters: clusters.length ? clusters.map((c) => requiredLabels(columns, c)) : null,
    fpc: fpc.length ? fpc.map((f) => numericColumn(columns, f)) : null,
    nest: spec.nest ?? true,
    lonelyPsu: spec.lonelyPsu ?? 'fail',
  });
}

/** `*` any text, `?` one character; everything else literal. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The replicate-weight column names of a spec, resolved against the data's columns (in their order). */
export function replicateColumnNames(spec: ReplicatesSpec, available: readonly string[]): string[] {
  if (typeof spec.columns !== 'string') return [...spec.columns];
  if (!/[*?]/.test(spec.columns)) return [spec.columns];
  const re = globToRegExp(spec.columns);
  const names = available.filter((c) => re.test(c));
  if (names.length === 0)
    throw new StatsError('MISSING_COLUMN', `数据中没有与「${spec.columns}」匹配的重复权数列`, {
      column: spec.columns,
    });
  return names;
}

interface Grouping {
  by: string | null;
  levels: string[];
  codes: Int32Array | null;
}

function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code a (possibly crossed) breakdown; levels sorted, rows with a missing value belong to no domain. */
function grouping(columns: EstimateRequest['columns'], by: string | readonly string[], n: number): Grouping {
  const names = typeof by === 'string' ? [by] : [...by];
  const given = names.map((name) => column(columns, name));
  // Coded columns by their codes, unless the combinations outgrow exact integer keys.
  if (
    given.every(isCodedLabels) &&
    given.reduce((size, c) => size * Math.max(c.labels.length, 1), 1) <= Number.MAX_SAFE_INTEGER
  )
    return codedGrouping(names, given, n);
  // Otherwise (coded labels crossed with plain values) as strings.
  const cols = given.map((c) => (isCodedLabels(c) ? labelsOf(c) : c));
  // First-appearance codes keyed by the (joined) label, then renumbered in sorted label order.
  const map = new Map<string, number>();
  const firstCodes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let key: string | null = null;
    for (let k = 0; k < cols.length; k++) {
      const v = cols[k]![i];
      if (v === null || v === undefined) {
        key = null;
        break;
      }
      key = k === 0 ? String(v) : `${key},${String(v)}`;
    }
    if (key === null) {
      firstCodes[i] = -1;
      continue;
    }
    let c = map.get(key);
    if (c === undefined) {
      c = map.size;
      map.set(key, c);
    }
    firstCodes[i] = c;
  }
  const unsorted = [...map.keys()];
  const levels = [...unsorted].sort(compareLabels);
  const rank = new Int32Array(unsorted.length);
  const position = new Map(levels.map((l, i) => [l, i]));
  unsorted.forEach((l, i) => {
    rank[i] = position.get(l)!;
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = firstCodes[i]! < 0 ? -1 : rank[firstCodes[i]!]!;
  return { by: names.join(','), levels, codes };
}

/**
 * {@link grouping} of coded columns without a string per row: each combination of codes seen is named once by its
 * joined labels, and combinations with the same name are one domain — the levels and codes the strings would give.
 */
function codedGrouping(names: string[], cols: CodedLabels[], n: number): Grouping {
  if (cols.length === 1) {
    // One column: its labels used, sorted (equal labels one level), each code ranked once.
    const { codes: given, labels } = cols[0]!;
    const used = new Uint8Array(labels.length);
    for (let i = 0; i < n; i++) {
      const v = given[i]!;
      if (v >= 0 && v < labels.length) used[v] = 1;
    }
    const levels = [...new Set(labels.filter((_, k) => used[k] === 1))].sort(compareLabels);
    const position = new Map(levels.map((l, i) => [l, i]));
    const rank = Int32Array.from(labels, (l, k) => (used[k] === 1 ? position.get(l)! : -1));
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = given[i]!;
      codes[i] = v >= 0 && v < labels.length ? rank[v]! : -1;
    }
    return { by: names[0]!, levels, codes };
  }
  // Mixed-radix key of the codes (each column's codes 0 … labels−1), −1 when any is missing.
  const radix = cols.map((c) => c.labels.length);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (let k = 0; k < cols.length; k++) {
      const v = cols[k]!.codes[i]!;
      if (v < 0 || v >= radix[k]!) {
        key = -1;
        break;
      }
      key = key * radix[k]! + v;
    }
    keys[i] = key;
  }
  // Combinations seen (in a table when the keys are few, else a map), then their names: two keys may share one
  // (equal labels, or joined text "a,b"+"c" = "a"+"b,c").
  const size = radix.reduce((a, r) => a * r, 1);
  const table = size <= 1 << 20 ? new Int32Array(size).fill(-1) : null;
  const seen = new Map<number, number>();
  const comboKeys: number[] = [];
  const firstCodes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    if (key < 0) {
      firstCodes[i] = -1;
      continue;
    }
    let c = table ? table[key]! : (seen.get(key) ?? -1);
    if (c < 0) {
      c = comboKeys.length;
      if (table) table[key] = c;
      else seen.set(key, c);
      comboKeys.push(key);
    }
    firstCodes[i] = c;
  }
  const comboNames = comboKeys.map((key) => {
    const parts: string[] = [];
    for (let k = cols.length - 1; k >= 0; k--) {
      const r = radix[k]!;
      parts.push(cols[k]!.labels[key % r]!);
      key = Math.floor(key / r);
    }
    return parts.reverse().join(',');
  });
  const levels = [...new Set(comboNames)].sort(compareLabels);
  const position = new Map(levels.map((l, i) => [l, i]));
  const rank = Int32Array.from(comboNames, (name) => position.get(name)!);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = firstCodes[i]! < 0 ? -1 : rank[firstCodes[i]!]!;
  return { by: names.join(','), levels, codes };
}

function isBinary(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isNaN(v) && v !== 0 && v !== 1) return false;
  }
  return true;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

const REPLICATE_TYPES: Partial<Record<EstimateMethod, ReplicateType>> = {
  jkn: 'JKn',
  jk1: 'JK1',
  brr: 'BRR',
  bootstrap: 'bootstrap',
};

/** The estimates of {@link estimate} with R's warnings. */
export interface EstimateResult {
  records: EstimateRecord[];
  warnings: StatsWarning[];
}

/**
 * Estimate means/proportions overall and by breakdowns, with the warnings R would print. Reproduces, per method:
 * - `linearization`: `svymean(~v, des, na.rm=TRUE, deff=TRUE)` and `svyby(~v, ~g, des, svymean, …)` on
 *   `svydesign(ids = ~c1 [+ c2 …], strata, weights, fpc = ~f1 [+ f2 …], nest = TRUE)` (multistage variance);
 * - `raking`: the same on `rake(des, margins, totals, control = list(maxit, epsilon))`; not converging is a
 *   warning and a flag on every record, as R warns;
 * - `jkn` / `jk1` / `brr` / `bootstrap`: the same on `as.svrepdesign(des, type = …)` (bootstrap after
 *   `set.seed(seed)`, `replicates = R`);
 * - `replicates`: the same on `svrepdesign(repweights, weights, type, scale, rscales, rho, combined.weights)`;
 * with `svyciprop(~v, subset(des, g == x), method = "xlogit")` intervals for 0/1 variables and
 * `confint(svymean(…), df = degf(…))` (Wald, t) for the others; df = `degf()` of the domain. A domain whose
 * observed values are all equal is exact (estimate = that value, se 0) and flagged, without interval or deff.
 * The overall row (by = null) comes first, then each breakdown with its levels sorted.
 * @throws StatsError MISSING_COLUMN, BAD_WEIGHT, BAD_INPUT, LONELY_PSU, MARGIN_NOT_COVERED, UNSUPPORTED_DESIGN;
 *   with `strict`, the code of the first warning (RAKING_NOT_CONVERGED, …)
 */
export function runEstimate(req: EstimateRequest): EstimateResult {
  const warnings: StatsWarning[] = [];
  const warn = (code: StatsErrorCode, message: string) => {
    if (req.strict) throw new StatsError(code, `${message}(--strict:警告即错误)`);
    warnings.push({ code, message });
  };
  let design = designFromSpec(req.columns, req.design);
  const ciMethod = req.ciMethod ?? 'logit';
  const level = req.level ?? 0.95;
  const method = req.method;
  let rakingConverged = true;
  if (method === 'raking') {
    const raking = req.design.raking;
    if (!raking || raking.margins.length === 0)
      throw new StatsError('BAD_INPUT', '设计中没有给出校准(raking)边际');
    design = rakeDesign(
      design,
      raking.margins.map((m) => ({
        name: m.variable,
        values: requiredLabels(req.columns, m.variable),
        totals: m.totals,
      })),
      { maxIter: raking.maxIter ?? 10, epsilon: raking.epsilon ?? 1, allowNonConvergence: true },
    );
    const cal = design.calibration!;
    if (!cal.converged) {
      rakingConverged = false;
      warn(
        'RAKING_NOT_CONVERGED',
        `迭代比例拟合(raking)在 ${cal.iterations} 轮后仍未收敛(R 同样给出警告并继续);结果按最后一轮的权数计算,请检查边际总数是否相互一致,或放宽收敛标准`,
      );
    }
  }
  let rep: ReplicateDesign | null = null;
  const repType = REPLICATE_TYPES[method];
  if (repType) {
    // R's as.svrepdesign(type = "JKn") refuses unstratified designs; one stratum makes JKn identical to JK1.
    rep = replicateDesign(design, { type: repType, replicates: req.replicates, seed: req.seed });
    if (repType === 'BRR' && design.fpcPopulation !== null)
      warn('UNSUPPORTED_DESIGN', 'BRR 不使用有限总体校正:已舍去(R 同样在转换时舍去并给出警告)');
    else if (design.laterStages.length > 0)
      warn(
        'UNSUPPORTED_DESIGN',
        '重复权数只用第一阶段:第一阶段以后的有限总体校正被忽略(R 同样如此并给出警告)',
      );
    if (!rep.matchesR)
      warn(
        'UNSUPPORTED_DESIGN',
        `BRR 的半样本对数为 ${rep.nReplicates} 阶 Hadamard 矩阵所用:R 在这一层数下使用其内置矩阵,重复权数与 R 不同(方差仍是有效的 BRR 方差)`,
      );
  } else if (method === 'replicates') {
    const spec = req.design.replicates;
    if (!spec) throw new StatsError('BAD_INPUT', '设计中没有给出重复权数(replicates)');
    const names = replicateColumnNames(spec, Object.keys(req.columns));
    const supplied = suppliedReplicateDesign(design, {
      columns: names.map((c) => numericColumn(req.columns, c)),
      type: spec.type,
      scale: spec.scale ?? null,
      rscales: spec.rscales ?? null,
      rho: spec.rho ?? null,
      combined: spec.combined ?? true,
      mse: spec.mse ?? false,
    });
    for (const w of supplied.warnings) warn('BAD_INPUT', w);
    rep = supplied.rep;
  }

  const groupings: Grouping[] = [{ by: null, levels: [''], codes: null }];
  for (const b of req.by ?? []) groupings.push(grouping(req.columns, b, design.n));

  const records: EstimateRecord[] = [];
  for (const variable of req.variables) {
    const y = numericColumn(req.columns, variable);
    const kind = isBinary(y) ? 'proportion' : 'mean';
    const shift = overallMean(design, y);
    for (const g of groupings) {
      const est: Estimate[] = rep
        ? replicateDomains(rep, y, g.codes, g.levels.length, 'mean', { shift })
        : linearizedDomains(design, y, g.codes, g.levels.length, 'mean', { shift });
      g.levels.forEach((lv, i) => {
        const e = est[i]!;
        // Korn–Graubard uses nrow() of the subset design: a calibrated design is subset by zero weights.
        const nRows = design.calibration !== null ? design.n : e.domainRows;
        const rec: EstimateRecord = {
          method,
          by: g.by,
          domain: g.by === null ? null : lv,
          variable,
          kind,
          ...describe(e, kind, ciMethod, level, nRows),
        };
        if (!rakingConverged) rec.flags.push('raking_not_converged');
        records.push(rec);
      });
    }
  }
  return { records, warnings };
}

/** The numbers, interval and flags of one estimate (nRows: R `nrow()` for Korn–Graubard). */
function describe(
  e: Estimate,
  kind: EstimateRecord['kind'],
  ciMethod: CiMethod,
  level: number,
  nRows: number,
): Omit<EstimateRecord, 'method' | 'by' | 'domain' | 'variable' | 'kind'> {
  if (Number.isNaN(e.estimate)) {
    return {
      n: e.n,
      estimate: null,
      se: null,
      ciLow: null,
      ciHigh: null,
      ciMethod: null,
      deff: null,
      df: finite(e.df),
      flags: ['no_data'],
    };
  }
  const base = {
    n: e.n,
    estimate: e.estimate,
    se: e.se,
    deff: Number.isFinite(e.deff) && e.deff >= 0 ? e.deff : null,
    df: finite(e.df),
  };
  if (!Number.isFinite(e.se) && !e.degenerate)
    return {
      ...base,
      se: null,
      ciLow: null,
      ciHigh: null,
      ciMethod: null,
      deff: null,
      flags: ['no_variance'],
    };
  if (e.degenerate) {
    const flag = kind === 'mean' ? 'constant' : e.estimate === 0 ? 'all_zero' : 'all_one';
    return { ...base, ciLow: null, ciHigh: null, ciMethod: null, deff: null, flags: [flag] };
  }
  let low: number;
  let high: number;
  if (kind === 'proportion') {
    const ci = proportionCi(e.estimate, e.se, e.df, ciMethod, level, nRows);
    low = ci.low;
    high = ci.high;
  } else {
    const q = studentQuantile(1 - (1 - level) / 2, e.df);
    low = e.estimate - q * e.se;
    high = e.estimate + q * e.se;
  }
  if (!Number.isFinite(low) || !Number.isFinite(high))
    return { ...base, ciLow: null, ciHigh: null, ciMethod: null, flags: ['no_df'] };
  return { ...base, ciLow: low, ciHigh: high, ciMethod: kind === 'mean' ? 'wald' : ciMethod, flags: [] };
}

/**
 * {@link runEstimate} without the warnings (they are still warnings, not errors, unless `strict`).
 * @throws StatsError as {@link runEstimate}
 */
export function estimate(req: EstimateRequest): EstimateRecord[] {
  return runEstimate(req).records;
}
