import {
  SURVEY_BREAKDOWNS,
  type SurveyDesign,
  type SurveyEstimate,
  type SurveyEstimateMethod,
  type SurveyRole,
} from '@kesu/shared';
import {
  type ColumnData,
  type DesignSpec,
  designDegreesOfFreedom,
  designFromSpec,
  estimate,
  type SurveyDesign as StatsDesign,
} from '@kesu/stats';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { labelsOf, type StoredColumn } from './microdata.codec';

/** The variables estimated for every wave, when stored. */
export const SURVEY_VARIABLES = ['literate', 'score'] as const;

/**
 * Columns in the form @kesu/stats reads: numbers as Float64Array (NaN = missing), categories as labels (null =
 * missing), plus the crossed raking variables of the design ("gender:age_group" → "男,18-29").
 */
export function statsColumns(
  stored: Partial<Record<SurveyRole, StoredColumn>>,
  design: SurveyDesign,
): Record<string, ColumnData> {
  const out: Record<string, ColumnData> = {};
  for (const [role, col] of Object.entries(stored)) {
    if (!col) continue;
    out[role] = col.kind === 'num' ? col.values : labelsOf(col);
  }
  for (const m of design.raking?.margins ?? []) {
    if (!m.variable.includes(':') || out[m.variable]) continue;
    const parts = m.variable.split(':').map((p) => out[p] as (string | null)[] | undefined);
    if (parts.some((p) => !Array.isArray(p))) continue;
    const n = parts[0]!.length;
    const joined: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      let key: string | null = '';
      for (let k = 0; k < parts.length; k++) {
        const v = parts[k]![i];
        if (v === null || v === undefined) {
          key = null;
          break;
        }
        key = k === 0 ? v : `${key},${v}`;
      }
      joined[i] = key;
    }
    out[m.variable] = joined;
  }
  return out;
}

/**
 * Design degrees of freedom of each domain of a breakdown: R's `degf(subset(des, g == x))`, the PSUs minus the
 * strata that still have rows of the domain (rows with a missing y count: R subsets before na.rm).
 */
function domainDegreesOfFreedom(
  design: StatsDesign,
  labels: readonly (string | null)[],
): Map<string, number> {
  // One pass: which PSUs and strata each level touches (levels × PSUs flags; a few hundred kilobytes at most).
  const levels = new Map<string, number>();
  const perLevelPsu: Uint8Array[] = [];
  const perLevelStrata: Uint8Array[] = [];
  for (let i = 0; i < design.n; i++) {
    const l = labels[i];
    if (l === null || l === undefined) continue;
    let c = levels.get(l);
    if (c === undefined) {
      c = levels.size;
      levels.set(l, c);
      perLevelPsu.push(new Uint8Array(design.nPsu));
      perLevelStrata.push(new Uint8Array(design.nStrata));
    }
    perLevelPsu[c]![design.psuCodes[i]!] = 1;
    perLevelStrata[c]![design.strataCodes[i]!] = 1;
  }
  const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  const out = new Map<string, number>();
  for (const [label, c] of levels) out.set(label, count(perLevelPsu[c]!) - count(perLevelStrata[c]!));
  return out;
}

/**
 * Every estimate a wave shows: overall and by each stored breakdown, for literacy (a proportion, with its logit CI)
 * and the score (a mean, no CI); by Taylor linearization, and after raking when the design has margins.
 * @throws StatsError (LONELY_PSU, MARGIN_NOT_COVERED, RAKING_NOT_CONVERGED, …)
 */
export async function computeWaveEstimates(
  columns: Record<string, ColumnData>,
  design: SurveyDesign,
): Promise<SurveyEstimate[]> {
  const spec: DesignSpec = {
    weights: design.weights,
    strata: design.strata,
    clusters: design.clusters,
    fpc: design.fpc ?? null,
    lonelyPsu: design.lonelyPsu,
    raking: design.raking,
  };
  const by = SURVEY_BREAKDOWNS.filter((b) => columns[b] !== undefined);
  const variables = SURVEY_VARIABLES.filter((v) => columns[v] !== undefined);
  const methods: SurveyEstimateMethod[] = design.raking ? ['linearization', 'raking'] : ['linearization'];
  const statsDesign = designFromSpec(columns, spec);
  const overallDf = designDegreesOfFreedom(statsDesign);
  const dfs = new Map<string, Map<string, number>>();
  for (const b of by) dfs.set(b, domainDegreesOfFreedom(statsDesign, columns[b] as (string | null)[]));
  await yieldToLoop();

  const out: SurveyEstimate[] = [];
  for (const method of methods) {
    // Between methods the event loop runs (a million rows take about a second per method).
    if (out.length) await yieldToLoop();
    for (const r of estimate({ columns, design: spec, method, by, variables: [...variables] })) {
      const df = r.by === null ? overallDf : (dfs.get(r.by)?.get(r.domain ?? '') ?? overallDf);
      out.push({
        method,
        by: r.by,
        domain: r.domain,
        variable: r.variable,
        n: r.n,
        estimate: r.estimate,
        se: r.se,
        ciLow: r.ciLow ?? null,
        ciHigh: r.ciHigh ?? null,
        deff: Number.isFinite(r.deff) ? r.deff : null,
        cv: r.estimate === 0 ? null : r.se / Math.abs(r.estimate),
        df,
      });
    }
  }
  return out;
}
