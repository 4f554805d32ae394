import { detectAnomalies, evaluateIndicator, type Observation } from '@kesu/indicators';
import type { ValueCheck } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database, IndicatorsTable } from '../../db/schema';
import { collectObservations, planScope, toEngineIndicator } from '../progress/observation-sources';

/** A value as entered on a report form. */
export interface EnteredValue {
  indicatorId: string;
  countyId: string | null;
  value: number | null;
  note: string;
}

export interface CheckContext {
  reportId: string;
  unitName: string;
  cycleName: string;
  /** The cycle's last day: values stand as of it and are judged at it. */
  periodEnd: string;
  /** First day of the plan period (the 序时进度 line starts here when there is no baseline). */
  startDate: string;
  /** The jurisdiction of the cycle's plan: its counties and residents are the ones values are judged against. */
  planJurisdictionId: string | null;
}

/**
 * Judge each entered value with the indicator engine at the cycle end: behind (yellow/red) or an anomaly (a
 * cumulative value below the last approved one of an earlier period, or a negative value) — either requires a
 * note. Only this report's value is judged for the light (another unit's figure never hides a shortfall).
 */
export async function checkValues(
  db: Kysely<Database>,
  ctx: CheckContext,
  indicators: IndicatorsTable[],
  breakdowns: { indicator_id: string; unit_id: string; target_value: string }[],
  values: EnteredValue[],
): Promise<ValueCheck[]> {
  const entered = values.filter((v) => v.value !== null);
  if (entered.length === 0) return [];
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const used = indicators.filter((i) => entered.some((v) => v.indicatorId === i.id));
  const [history, plan] = await Promise.all([
    collectObservations(db, used),
    planScope(db, ctx.planJurisdictionId),
  ]);
  const population = plan.population;
  const countyNames = plan.counties?.names ?? {};
  const out: ValueCheck[] = [];
  for (const v of entered) {
    const row = byId.get(v.indicatorId);
    if (!row) continue;
    const engine = toEngineIndicator(row, breakdowns, ctx.startDate);
    // A plan of a level without counties below it breaks nothing down (planScope).
    const indicator = plan.counties ? engine : { ...engine, byCounty: false };
    const own: Observation = {
      value: v.value!,
      period: ctx.periodEnd,
      ...(v.countyId ? { county: v.countyId } : {}),
      source: { kind: 'report', ref: ctx.reportId, label: `${ctx.unitName} · ${ctx.cycleName}` },
      approved: false,
    };
    const result = evaluateIndicator(indicator, [own], {
      asOf: ctx.periodEnd,
      population,
      countyNames,
      ...(v.countyId ? { counties: [v.countyId] } : {}),
    });
    const scope = v.countyId ? result.counties.find((c) => c.county === v.countyId) : null;
    const status = scope ? scope.status : result.status;
    const text = scope ? scope.explanation.text : result.explanation.text;
    const earlier = (history.get(row.id) ?? []).filter(
      (o) => o.source.ref !== ctx.reportId && String(o.period) < ctx.periodEnd,
    );
    const anomaly =
      detectAnomalies(indicator, [...earlier, own]).find(
        (a) => a.source.ref === ctx.reportId && (a.county ?? null) === v.countyId,
      ) ?? null;
    const isBehind = status === 'yellow' || status === 'red';
    const explanationRequired = isBehind || anomaly !== null;
    out.push({
      indicatorId: v.indicatorId,
      countyId: v.countyId,
      status,
      isBehind,
      anomaly: anomaly ? anomaly.message : null,
      explanationRequired,
      hasExplanation: v.note.trim().length > 0,
      text,
    });
  }
  return out;
}
