import type { Observation } from '@kesu/indicators';
import type { Kysely } from 'kysely';
import type { Database, IndicatorsTable } from '../../db/schema';

/**
 * The rule a plan's "公民具备科学素质的比例" target is stated in: today's official 100-point rule (≥70 具备).
 * Rates under another rule are never compared with it (docs/DOMAIN.md §4), so waves scored otherwise are not observed.
 */
export const PLAN_RATE_RULE = 'official-2021';

/** Who is looking decides what is observed: a reader without access to the surveys sees published waves only. */
export interface ObserveOptions {
  publishedSurveysOnly?: boolean;
}

/**
 * Survey waves as observations of `survey_rate` indicators: each wave's overall estimate of `literate` — raked when
 * the wave has raking, else linearization — in percent, with its 95% CI, as of the end of the wave's year
 * (source kind 'survey', ref = wave id). The engine takes the latest wave up to the evaluation date.
 */
export async function observeSurveyWaves(
  db: Kysely<Database>,
  indicators: IndicatorsTable[],
  opts: ObserveOptions = {},
): Promise<Map<string, Observation[]>> {
  const out = new Map<string, Observation[]>();
  const rateIndicators = indicators.filter((i) => i.kind === 'survey_rate');
  if (rateIndicators.length === 0) return out;
  let query = db
    .selectFrom('survey_estimates as e')
    .innerJoin('survey_waves as w', 'w.id', 'e.wave_id')
    .select(['w.id as wave_id', 'w.name', 'w.year', 'e.method', 'e.estimate', 'e.ci_low', 'e.ci_high'])
    .where('w.scoring_rule', '=', PLAN_RATE_RULE)
    .where('e.by_var', 'is', null)
    .where('e.variable', '=', 'literate')
    .where('e.method', 'in', ['raking', 'linearization'])
    .orderBy('w.year')
    .orderBy('w.created_at');
  if (opts.publishedSurveysOnly) query = query.where('w.is_published', '=', 1);
  const rows = await query.execute();
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const seen = best.get(r.wave_id);
    if (!seen || (seen.method !== 'raking' && r.method === 'raking')) best.set(r.wave_id, r);
  }
  const observations: Observation[] = [...best.values()].map((r) => ({
    value: r.estimate * 100,
    period: `${r.year}-12-31`,
    source: {
      kind: 'survey',
      ref: r.wave_id,
      label: `${r.name}（${r.method === 'raking' ? '加权校准' : '设计加权'}）`,
    },
    ...(r.ci_low !== null && r.ci_high !== null
      ? { ci: { low: r.ci_low * 100, high: r.ci_high * 100 } }
      : {}),
    approved: true,
  }));
  for (const i of rateIndicators) out.set(i.id, observations);
  return out;
}
