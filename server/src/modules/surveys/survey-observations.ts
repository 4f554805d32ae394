import type { Observation } from '@kesu/indicators';
import type { Kysely } from 'kysely';
import type { Database, IndicatorsTable } from '../../db/schema';
import { surveyHeadlines } from './survey-headline';

export { PLAN_RATE_RULE } from './survey-headline';

/** Who is looking decides what is observed: a reader without access to the surveys sees published waves only. */
export interface ObserveOptions {
  publishedSurveysOnly?: boolean;
}

/**
 * Survey waves as observations of `survey_rate` indicators: each wave's headline (survey-headline.ts: official
 * rule, raked when the wave has raking, else linearization) in percent, with its 95% CI, as of the end of the
 * wave's year (source kind 'survey', ref = wave id). The engine takes the latest wave up to the evaluation date.
 */
export async function observeSurveyWaves(
  db: Kysely<Database>,
  indicators: IndicatorsTable[],
  opts: ObserveOptions = {},
): Promise<Map<string, Observation[]>> {
  const out = new Map<string, Observation[]>();
  const rateIndicators = indicators.filter((i) => i.kind === 'survey_rate');
  if (rateIndicators.length === 0) return out;
  const headlines = await surveyHeadlines(db, { publishedOnly: opts.publishedSurveysOnly === true });
  const observations: Observation[] = headlines.map((h) => ({
    value: h.estimate * 100,
    period: `${h.year}-12-31`,
    source: {
      kind: 'survey',
      ref: h.waveId,
      label: `${h.name}（${h.method === 'raking' ? '加权校准' : '设计加权'}）`,
    },
    ...(h.ciLow !== null && h.ciHigh !== null ? { ci: { low: h.ciLow * 100, high: h.ciHigh * 100 } } : {}),
    approved: true,
  }));
  for (const i of rateIndicators) out.set(i.id, observations);
  return out;
}
