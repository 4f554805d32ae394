import type { PlanRateTarget, SurveyHeadline } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { headlineEstimateRows, surveyRateIndicatorRows } from './surveys.repository';

/**
 * The rule a plan's "公民具备科学素质的比例" target is stated in: today's official 100-point rule (≥70 具备).
 * Rates under another rule are never compared with it (docs/DOMAIN.md §4), so waves scored otherwise give no headline.
 */
export const PLAN_RATE_RULE = 'official-2021';

/**
 * THE headline of each survey wave — what the plan's light, the public page, the monitoring page and the API show:
 * the whole-sample rate of 具备科学素质 under the official rule, by raking when the wave has margins, else by
 * linearization, with its 95% CI. `publishedOnly` for those who may not read unpublished waves. Oldest first.
 */
export async function surveyHeadlines(
  db: Kysely<Database>,
  opts: { publishedOnly: boolean },
): Promise<SurveyHeadline[]> {
  const best = new Map<string, Awaited<ReturnType<typeof headlineEstimateRows>>[number]>();
  for (const r of await headlineEstimateRows(db, PLAN_RATE_RULE, opts.publishedOnly)) {
    const seen = best.get(r.wave_id);
    if (!seen || (seen.method !== 'raking' && r.method === 'raking')) best.set(r.wave_id, r);
  }
  return [...best.values()].map((r) => ({
    waveId: r.wave_id,
    name: r.name,
    year: r.year,
    isPublished: r.is_published === 1,
    scoringRule: PLAN_RATE_RULE,
    method: r.method as SurveyHeadline['method'],
    estimate: r.estimate,
    ciLow: r.ci_low,
    ciHigh: r.ci_high,
    n: r.n,
  }));
}

/** The city plan's survey-rate target (its first plan with one, newest version), or null when no plan states one. */
export async function planRateTarget(db: Kysely<Database>): Promise<PlanRateTarget | null> {
  const i = (await surveyRateIndicatorRows(db))[0];
  if (!i) return null;
  return {
    indicatorId: i.id,
    planTitle: i.plan_title,
    text: i.text,
    comparator: i.comparator,
    value: Number(i.target_value),
    year: i.deadline ? Number(i.deadline.slice(0, 4)) : null,
    deadline: i.deadline,
    baseline:
      i.baseline_value !== null && i.baseline_year !== null
        ? { value: Number(i.baseline_value), year: i.baseline_year }
        : null,
  };
}
