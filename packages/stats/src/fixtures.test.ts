import { readFileSync } from 'node:fs';
import { studentQuantile } from './distributions';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { type DesignSpec, type EstimateMethod, estimate } from './estimate';

/*
 * Reference results computed by R's survey package 4.1 (see docs/DOMAIN.md §5):
 *   des <- svydesign(ids = ~psu (or ~1), strata = ~stratum, weights = ~w, data = df, nest = TRUE)
 *   options(survey.lonely.psu = design$lonelyPsu)
 *   svymean(~literate, des, na.rm = TRUE, deff = TRUE); svyby(~literate, ~g, des, svymean, na.rm = TRUE, deff = TRUE)
 *   svyciprop(~literate, subset(des, g == x), method = "xlogit")
 *   rake(des, list(~gender, ~age_group, ~area), totals, control = list(maxit = 100, epsilon = 1e-10))
 *   as.svrepdesign(des, type = "JKn")
 */
// fixtures/survey in this repository (reference data; README there).
const ROOT = fileURLToPath(new URL('../../../fixtures/survey', import.meta.url));
const CASES = ['standard', 'stratified', 'lonely-missing'] as const;
const FIELDS = ['estimate', 'se', 'ciLow', 'ciHigh', 'deff'] as const;

/** A record of expected.json (what R printed; score rows have no interval). */
interface Expected {
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

function load(name: string) {
  const { header, rows } = parseCsv(readFileSync(`${ROOT}/${name}/data.csv`, 'utf8'));
  const columns: Record<string, string[]> = {};
  header.forEach((h, j) => {
    columns[h] = rows.map((r) => r[j]!);
  });
  const design = JSON.parse(readFileSync(`${ROOT}/${name}/design.json`, 'utf8')) as DesignSpec;
  const expected = JSON.parse(readFileSync(`${ROOT}/${name}/expected.json`, 'utf8')) as Expected[];
  return { columns, design, expected };
}

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

describe.each(CASES)('R survey 4.1 fixture %s', (name) => {
  const { columns, design, expected } = load(name);
  const methods = [...new Set(expected.map((e) => e.method))] as EstimateMethod[];

  it.each(methods)('reproduces every %s record to 1e-8', (method) => {
    const want = expected.filter((e) => e.method === method);
    const by = [...new Set(want.map((e) => e.by).filter((b): b is string => b !== null))];
    const variables = [...new Set(want.map((e) => e.variable))];
    const got = estimate({ columns, design, method, by, variables });
    expect(want.length).toBeGreaterThan(0);
    for (const e of want) {
      const g = got.find((r) => r.by === e.by && r.domain === e.domain && r.variable === e.variable);
      const label = `${method} ${e.by}=${e.domain} ${e.variable}`;
      expect(g, label).toBeDefined();
      expect(g!.n, `${label} n`).toBe(e.n);
      for (const f of FIELDS) {
        if (e[f] === undefined) {
          // These fixtures predate intervals for means (R's confint, fixtures/survey/<case>/runs.json has them):
          // the score gets est ± qt(0.975, df)·se, here from R's estimate and se.
          expect(g!.kind, label).toBe('mean');
          const half = studentQuantile(0.975, g!.df!) * e.se;
          const want = f === 'ciLow' ? e.estimate - half : e.estimate + half;
          expect(relErr(g![f]!, want), `${label} ${f}: got ${g![f]} want ${want}`).toBeLessThan(1e-8);
        } else {
          expect(relErr(g![f]!, e[f]!), `${label} ${f}: got ${g![f]} want ${e[f]}`).toBeLessThan(1e-8);
        }
      }
    }
  });
});

describe('lonely-missing fixture: what R does with missing values', () => {
  const { columns, design, expected } = load('lonely-missing');

  it('counts the domain rows with a missing y in degf (svyciprop on subset(des, g == x))', () => {
    // age_group 50-59 has a PSU whose only domain rows are missing: R's df stays 58, not 56.
    const rec = expected.find(
      (e) => e.method === 'linearization' && e.by === 'age_group' && e.domain === '50-59',
    )!;
    const got = estimate({
      columns,
      design,
      method: 'linearization',
      by: ['age_group'],
      variables: ['literate'],
    });
    const g = got.find((r) => r.domain === '50-59')!;
    expect(relErr(g.ciLow!, rec.ciLow!)).toBeLessThan(1e-8);
  });

  it('uses the non-missing count as n (different for literate and score)', () => {
    const got = estimate({ columns, design, method: 'linearization', variables: ['literate', 'score'] });
    expect(got.map((r) => r.n)).toEqual([1924, 1984]);
  });
});
