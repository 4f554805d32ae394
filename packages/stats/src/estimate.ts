import { type CiMethod, proportionCi } from './ci';
import { type LonelyPsuPolicy, type SurveyDesign, createDesign } from './design';
import { overallMean } from './accumulate';
import { StatsError } from './errors';
import { type Estimate, linearizedDomains } from './linearization';
import { rakeDesign } from './raking';
import { type ReplicateType, replicateDesign, replicateDomains } from './replicate';

/** The design description stored with a survey wave (shape of the fixtures' design.json). */
export interface DesignSpec {
  /** Weight column (w: inverse inclusion probability). */
  weights: string;
  strata?: string | null;
  /** First-stage PSU column; null = no clusters (R `ids = ~1`). */
  clusters?: string | null;
  /** Finite population correction column (population PSUs per stratum, or sampling fraction). */
  fpc?: string | null;
  lonelyPsu?: LonelyPsuPolicy;
  raking?: {
    margins: { variable: string; totals: Record<string, number> }[];
    maxIter?: number;
    epsilon?: number;
  } | null;
}

/** Variance method of {@link estimate}: the record's `method` field repeats it. */
export type EstimateMethod = 'linearization' | 'raking' | 'jkn' | 'jk1' | 'brr' | 'bootstrap';

/** A column of raw values: numbers, numeric strings, '' / 'NA' / null for missing. */
export type ColumnData = readonly (string | number | null | undefined)[] | Float64Array | Int32Array;

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
  /** Interval for 0/1 variables; default `logit` (R svyciprop "xlogit"). */
  ciMethod?: CiMethod;
  level?: number;
  /** Bootstrap replicates and seed. */
  replicates?: number;
  seed?: number;
}

/**
 * One estimate: the fields of the fixtures' expected.json. 0/1 variables are proportions and carry a
 * confidence interval; other variables (scores) have no ciLow/ciHigh.
 */
export interface EstimateRecord {
  method: EstimateMethod;
  by: string | null;
  domain: string | null;
  variable: string;
  n: number;
  estimate: number;
  se: number;
  ciLow?: number;
  ciHigh?: number;
  deff: number;
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

/** Numeric column; missing → NaN. */
function numericColumn(columns: EstimateRequest['columns'], name: string): Float64Array {
  const c = column(columns, name);
  if (c instanceof Float64Array) return c;
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (isMissing(v)) {
      out[i] = Number.NaN;
      continue;
    }
    const x = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isFinite(x)) {
      throw new StatsError('BAD_INPUT', `列「${name}」第 ${i + 1} 行的值「${String(v)}」不是数字`, {
        column: name,
        row: i + 1,
      });
    }
    out[i] = x;
  }
  return out;
}

/** Categorical column as strings; missing (null/undefined) stays null. */
function labelColumn(columns: EstimateRequest['columns'], name: string): (string | null)[] {
  const c = column(columns, name);
  const out: (string | null)[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    out[i] = v === null || v === undefined ? null : String(v);
  }
  return out;
}

function requiredLabels(columns: EstimateRequest['columns'], name: string): readonly string[] {
  const c = column(columns, name);
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

/** Build the design of a spec from raw columns (R `svydesign(…, nest = TRUE)`). */
export function designFromSpec(columns: EstimateRequest['columns'], spec: DesignSpec): SurveyDesign {
  const weights = numericColumn(columns, spec.weights);
  for (let i = 0; i < weights.length; i++) {
    if (Number.isNaN(weights[i]!))
      throw new StatsError('BAD_WEIGHT', `第 ${i + 1} 行的权数缺失`, { row: i + 1 });
  }
  return createDesign({
    weights,
    strata: spec.strata ? requiredLabels(columns, spec.strata) : null,
    clusters: spec.clusters ? requiredLabels(columns, spec.clusters) : null,
    fpc: spec.fpc ? numericColumn(columns, spec.fpc) : null,
    lonelyPsu: spec.lonelyPsu ?? 'fail',
  });
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
  const cols = names.map((name) => column(columns, name));
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

function isBinary(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isNaN(v) && v !== 0 && v !== 1) return false;
  }
  return true;
}

/**
 * Estimate means/proportions overall and by breakdowns. Reproduces, per method:
 * - `linearization`: `svymean(~v, des, na.rm=TRUE, deff=TRUE)` and `svyby(~v, ~g, des, svymean, …)`;
 * - `raking`: the same on `rake(des, margins, totals, control = list(maxit, epsilon))`;
 * - `jkn` / `jk1` / `brr` / `bootstrap`: the same on `as.svrepdesign(des, type = …)`;
 * with `svyciprop(~v, subset(des, g == x), method = "xlogit")` intervals (df = `degf()` of the domain) for
 * 0/1 variables. The overall row (by = null) comes first, then each breakdown with its levels sorted.
 * @throws StatsError MISSING_COLUMN, BAD_WEIGHT, BAD_INPUT, LONELY_PSU, MARGIN_NOT_COVERED, RAKING_NOT_CONVERGED
 */
export function estimate(req: EstimateRequest): EstimateRecord[] {
  let design = designFromSpec(req.columns, req.design);
  const ciMethod = req.ciMethod ?? 'logit';
  const level = req.level ?? 0.95;
  const method = req.method;
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
      { maxIter: raking.maxIter ?? 10, epsilon: raking.epsilon ?? 1 },
    );
  }
  const repTypes: Record<string, ReplicateType> = {
    jkn: 'JKn',
    jk1: 'JK1',
    brr: 'BRR',
    bootstrap: 'bootstrap',
  };
  const repType = repTypes[method];
  // R's as.svrepdesign(type = "JKn") refuses unstratified designs; one stratum makes JKn identical to JK1.
  const rep = repType
    ? replicateDesign(design, {
        type: repType === 'JK1' && design.hasStrata ? 'JKn' : repType,
        replicates: req.replicates,
        seed: req.seed,
      })
    : null;

  const groupings: Grouping[] = [{ by: null, levels: [''], codes: null }];
  for (const b of req.by ?? []) groupings.push(grouping(req.columns, b, design.n));

  const records: EstimateRecord[] = [];
  for (const variable of req.variables) {
    const y = numericColumn(req.columns, variable);
    const binary = isBinary(y);
    const shift = overallMean(design, y);
    for (const g of groupings) {
      const est: Estimate[] = rep
        ? replicateDomains(rep, y, g.codes, g.levels.length, 'mean', { shift })
        : linearizedDomains(design, y, g.codes, g.levels.length, 'mean', { shift });
      g.levels.forEach((lv, i) => {
        const e = est[i]!;
        const rec: EstimateRecord = {
          method,
          by: g.by,
          domain: g.by === null ? null : lv,
          variable,
          n: e.n,
          estimate: e.estimate,
          se: e.se,
          deff: e.deff,
        };
        if (binary) {
          // Korn–Graubard uses nrow() of the subset design: a calibrated design is subset by zero weights.
          const nRows = design.calibration !== null ? design.n : e.domainRows;
          const ci = proportionCi(e.estimate, e.se, e.df, ciMethod, level, nRows);
          rec.ciLow = ci.low;
          rec.ciHigh = ci.high;
        }
        records.push(rec);
      });
    }
  }
  return records;
}
