import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import type { CodedLabels } from './design';
import {
  type DesignSpec,
  type EstimateMethod,
  type EstimateRecord,
  type EstimateRequest,
  runEstimate,
} from './estimate';
import { StatsError } from './errors';

/*
 * Every run of every fixtures/survey/<case>/runs.json: what R survey 4.1.1 (R 4.2.2) printed for a kesu design,
 * computed by the case's generate.R through fixtures/survey/kesu-runs.R (which maps the design spec to
 * svydesign / rake / as.svrepdesign / svrepdesign, then svymean + svyciprop or confint on the whole design and on
 * `design[g == level, ]`, as svyby does). Numbers must agree to 1e-8 relative; where R's answer is wrong or
 * missing the kesu rule is checked instead:
 * - a domain whose observed values are all equal: kesu's estimate is that value exactly and its se exactly 0
 *   (R's may carry rounding noise, |noise| < 1e-12), with no deff and no interval (R: NaN, or a zero-width Wald
 *   interval for a mean), flagged all_zero / all_one / constant;
 * - no observed value (R: NaN): estimate null, flagged no_data;
 * - a negative deff (R's replicate designs when Σw < n) is null;
 * - an R error is a kesu StatsError.
 */

const ROOT = fileURLToPath(new URL('../../../fixtures/survey', import.meta.url));
const CASES = readdirSync(ROOT).filter((d) => existsSync(`${ROOT}/${d}/runs.json`));

interface RRecord {
  by: string | null;
  domain: string | null;
  variable: string;
  n: number;
  estimate: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  deff: number | null;
  df: number | null;
}

interface RRun {
  name: string;
  /** Data file of the case directory (default data.csv). */
  data?: string;
  design: DesignSpec;
  method: EstimateMethod;
  by: string[];
  variables: string[];
  seed?: number;
  replicates?: number;
  strict?: boolean;
  error?: string;
  rWarnings: string[];
  records?: RRecord[];
}

function readColumns(file: string): Record<string, string[]> {
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'));
  const columns: Record<string, string[]> = {};
  header.forEach((h, j) => {
    columns[h] = rows.map((r) => r[j]!);
  });
  return columns;
}

function load(name: string) {
  const { runs } = JSON.parse(readFileSync(`${ROOT}/${name}/runs.json`, 'utf8')) as { runs: RRun[] };
  const data = new Map<string, Record<string, string[]>>();
  const columnsOf = (run: RRun) => {
    const file = run.data ?? 'data.csv';
    if (!data.has(file)) data.set(file, readColumns(`${ROOT}/${name}/${file}`));
    return data.get(file)!;
  };
  return { runs, columnsOf };
}

const DEGENERATE = ['all_zero', 'all_one', 'constant'];

function close(got: number | null, want: number, label: string): void {
  expect(got, label).not.toBeNull();
  const tol = want === 0 ? 1e-15 : 1e-8 * Math.abs(want);
  expect(Math.abs(got! - want), `${label}: got ${got} want ${want}`).toBeLessThanOrEqual(tol);
}

/** Compare one kesu record with R's, by the rules above. */
export function compareWithR(g: EstimateRecord, e: RRecord, label: string): void {
  expect(g.n, `${label} n`).toBe(e.n);
  expect(g.df, `${label} df`).toBe(e.df);
  if (e.estimate === null) {
    expect(g.estimate, `${label} estimate`).toBeNull();
    expect(g.flags, label).toContain('no_data');
    return;
  }
  const degenerate = g.flags.some((f) => DEGENERATE.includes(f));
  if (degenerate) {
    // se exactly 0 where R's is 0 up to rounding; zero-weight rows of another value can make it positive
    // (raking: R's level means count every row), and then it is R's.
    if (Math.abs(e.se ?? 0) < 1e-12) expect(g.se, `${label} se`).toBe(0);
    else close(g.se, e.se!, `${label} se`);
    expect(Math.abs(g.estimate! - e.estimate), `${label} estimate`).toBeLessThan(
      1e-12 * Math.max(1, Math.abs(e.estimate)),
    );
    if (g.kind === 'proportion') expect([0, 1], label).toContain(g.estimate);
    expect(g.deff, `${label} deff`).toBeNull();
    expect(g.ciLow, `${label} ciLow`).toBeNull();
    expect(g.ciHigh, `${label} ciHigh`).toBeNull();
    return;
  }
  close(g.estimate, e.estimate, `${label} estimate`);
  close(g.se, e.se!, `${label} se`);
  if (e.deff === null || e.deff < 0) expect(g.deff, `${label} deff`).toBeNull();
  else close(g.deff, e.deff, `${label} deff`);
  if (e.ciLow === null || e.ciHigh === null) {
    expect(g.ciLow, `${label} ciLow`).toBeNull();
    expect(g.flags.length, `${label} a null interval carries a flag`).toBeGreaterThan(0);
  } else {
    close(g.ciLow, e.ciLow, `${label} ciLow`);
    close(g.ciHigh, e.ciHigh, `${label} ciHigh`);
  }
}

describe.each(CASES)('R survey 4.1 runs of fixture %s', (name) => {
  const { runs, columnsOf } = load(name);

  it.each(runs.map((r) => [r.name, r] as const))('%s', (_, run) => {
    const req = {
      columns: columnsOf(run),
      design: run.design,
      method: run.method,
      by: run.by,
      variables: run.variables,
      seed: run.seed,
      replicates: run.replicates,
    };
    if (run.error !== undefined) {
      expect(() => runEstimate(req), `R: ${run.error}`).toThrowError(StatsError);
      return;
    }
    const { records, warnings } = runEstimate(req);
    const rNotConverged = run.rWarnings.some((w) => w.includes('did not converge'));
    expect(
      warnings.some((w) => w.code === 'RAKING_NOT_CONVERGED'),
      'raking warning as R',
    ).toBe(rNotConverged);
    expect(run.records!.length).toBeGreaterThan(0);
    expect(records).toHaveLength(run.records!.length);
    for (const e of run.records!) {
      const g = records.find((r) => r.by === e.by && r.domain === e.domain && r.variable === e.variable);
      const label = `${e.by}=${e.domain} ${e.variable}`;
      expect(g, label).toBeDefined();
      compareWithR(g!, e, label);
      if (rNotConverged) expect(g!.flags).toContain('raking_not_converged');
    }
  });
});

/**
 * Every column as coded labels (what the `kesu survey estimate` reader gives), coded awkwardly on purpose: labels
 * in reverse order, one label listed twice (rows split between its two codes), one never used. The records and
 * warnings must be exactly those of the string columns, or the error the same.
 */
function coded(column: readonly string[]): CodedLabels {
  const labels = [...new Set(column)].reverse();
  const index = new Map(labels.map((l, k) => [l, k]));
  labels.push(labels[0]!, 'unused level');
  const twin = labels.length - 2;
  const codes = Int32Array.from(column, (v, i) => {
    const k = index.get(v)!;
    return k === 0 && i % 2 === 1 ? twin : k;
  });
  return { codes, labels };
}

describe.each(CASES)('coded labels give the string columns’ results exactly, fixture %s', (name) => {
  const { runs, columnsOf } = load(name);

  it.each(runs.map((r) => [r.name, r] as const))('%s', (_, run) => {
    const strings = columnsOf(run);
    const codedColumns = Object.fromEntries(Object.entries(strings).map(([k, c]) => [k, coded(c)]));
    const req = (columns: EstimateRequest['columns']) => ({
      columns,
      design: run.design,
      method: run.method,
      by: run.by,
      variables: run.variables,
      seed: run.seed,
      replicates: run.replicates,
    });
    const outcome = (columns: EstimateRequest['columns']) => {
      try {
        return runEstimate(req(columns));
      } catch (err) {
        return (err as Error).message;
      }
    };
    const want = outcome(strings);
    expect(outcome(codedColumns)).toEqual(want);
  });
});
