import {
  SURVEY_BREAKDOWNS,
  type SurveyDesign,
  type SurveyEstimate,
  type SurveyEstimateMethod,
  type SurveyRole,
} from '@kesu/shared';
import { type ColumnData, type DesignSpec, runEstimate } from '@kesu/stats';
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
 * Every estimate a wave shows: overall and by each stored breakdown, for literacy (a proportion, with its logit CI)
 * and the score (a mean, with its Wald CI); by Taylor linearization (one- or two-stage design), and after raking
 * when the design has margins. Raking that does not converge is not an error (R only warns): its rows carry the
 * flag `raking_not_converged`. A domain without data (no observed value with a non-zero weight) has no row.
 * @throws StatsError (LONELY_PSU, MARGIN_NOT_COVERED, …)
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
  await yieldToLoop();

  const out: SurveyEstimate[] = [];
  for (const method of methods) {
    // Between methods the event loop runs (a million rows take about a second per method).
    if (out.length) await yieldToLoop();
    const { records } = runEstimate({ columns, design: spec, method, by, variables: [...variables] });
    for (const r of records) {
      if (r.estimate === null || r.se === null) continue; // no data: nothing to show
      out.push({
        method,
        by: r.by,
        domain: r.domain,
        variable: r.variable,
        kind: r.kind,
        ciMethod: r.ciMethod,
        flags: r.flags,
        n: r.n,
        estimate: r.estimate,
        se: r.se,
        ciLow: r.ciLow,
        ciHigh: r.ciHigh,
        deff: r.deff,
        cv: r.estimate === 0 ? null : r.se / Math.abs(r.estimate),
        df: r.df ?? 0,
      });
    }
  }
  return out;
}
