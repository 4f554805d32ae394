import type {
  Indicator as EngineIndicator,
  Observation,
  PopulationTable,
  SourceKind,
} from '@kesu/indicators';
import type { Kysely } from 'kysely';
import type { ChangeMark } from '../../db/change-mark';
import type { Database, IndicatorsTable } from '../../db/schema';
import {
  type ObserveOptions as SurveyObserveOptions,
  observeSurveyWaves,
} from '../surveys/survey-observations';
import {
  allocationRollupRows,
  type ApprovedValueRow,
  approvedValueRows,
  countyRows,
  jurisdictionScopeRows,
  populationMarginRows,
} from './progress.repository';
import { observeRegistries, type RegistryObserveOptions } from './registry-observations';

/** What an evaluation tells the sources: which survey waves count, the day judged and the plan's cycle ends. */
export type ObserveOptions = SurveyObserveOptions & RegistryObserveOptions;

/**
 * Where an indicator's actual values come from. Every source turns its own records into the engine's one
 * Observation shape, so the evaluation never knows whether a number came from a unit's report, a survey wave or
 * a registry query.
 */
export interface ObservationSource {
  kind: SourceKind;
  /**
   * The indicators it answers for take their values from it alone (a registry-bound indicator is never typed: reports
   * or county roll-ups of it do not count). Such a source returns an entry, maybe empty, for each indicator it owns.
   */
  exclusive?: boolean;
  /** The tables its observations are read from: the overview cache's fingerprint covers exactly these. */
  reads: readonly ChangeMark[];
  /** Observations of the given indicators, by indicator id (any order; the engine picks by period). */
  observe(
    db: Kysely<Database>,
    indicators: IndicatorsTable[],
    opts?: ObserveOptions,
  ): Promise<Map<string, Observation[]>>;
}

/**
 * Unit reports: every entered value of an approved report is an observation as of its cycle's period end
 * (source kind 'report', ref = report id, label = unit · cycle). When several units report the same indicator for
 * the same period and county, the lead unit's (牵头) value counts: the engine takes the last of equal periods, so
 * co-operating units' values are listed first. Values are tied to the indicator ids of the cycle's plan version.
 */
export const reportObservationSource: ObservationSource = {
  kind: 'report',
  reads: [{ table: 'progress_reports', stamp: 'updated_at', deletedOnlyWith: 'demo_batches' }],
  async observe(db, indicators) {
    const rows = leadLast(
      await approvedValueRows(
        db,
        indicators.map((i) => i.id),
      ),
    );
    const out = new Map<string, Observation[]>();
    for (const r of rows) {
      const list = out.get(r.indicator_id) ?? [];
      list.push({
        value: Number(r.value),
        period: r.period_end,
        ...(r.county_id ? { county: r.county_id } : {}),
        source: { kind: 'report', ref: r.report_id, label: `${r.unit_name} · ${r.cycle_name}` },
        approved: true,
      });
      out.set(r.indicator_id, list);
    }
    return out;
  },
};

/** Co-operating units' values first, the lead unit's (牵头) last: the engine takes the last of equal periods. */
function leadLast(rows: ApprovedValueRow[]): ApprovedValueRow[] {
  return rows.sort(
    (a, b) =>
      (a.role === 'lead' ? 1 : 0) - (b.role === 'lead' ? 1 : 0) ||
      (a.reviewed_at ?? '').localeCompare(b.reviewed_at ?? ''),
  );
}

/**
 * Counties (分解下达): an indicator assigned down to counties takes, as each county's observation, the county's own
 * approved values of the task it received (source kind 'county', county = the county's government unit). The engine
 * then rolls them up by the indicator's kind: counts summed, shares pooled over the residents, missing counties named.
 */
export const countyObservationSource: ObservationSource = {
  kind: 'county',
  reads: [
    { table: 'allocations', stamp: 'updated_at' },
    { table: 'progress_reports', stamp: 'updated_at', deletedOnlyWith: 'demo_batches' },
  ],
  async observe(db, indicators) {
    const links = await allocationRollupRows(
      db,
      indicators.map((i) => i.id),
    );
    const byCountyIndicator = new Map(links.map((l) => [l.county_indicator_id, l]));
    const rows = leadLast(await approvedValueRows(db, [...byCountyIndicator.keys()]));
    const out = new Map<string, Observation[]>();
    for (const r of rows) {
      const l = byCountyIndicator.get(r.indicator_id);
      // A county's own breakdowns (its towns) are not the county's figure.
      if (!l || r.county_id) continue;
      const list = out.get(l.indicator_id) ?? [];
      list.push({
        value: Number(r.value),
        period: r.period_end,
        county: l.government_unit_id,
        source: {
          kind: 'county',
          ref: r.report_id,
          label: `${l.county_name} · ${r.unit_name} · ${r.cycle_name}`,
        },
        approved: true,
      });
      out.set(l.indicator_id, list);
    }
    return out;
  },
};

/** Survey waves: the literacy rate with its CI for `survey_rate` indicators (see surveys/survey-observations.ts). */
export const surveyObservationSource: ObservationSource = {
  kind: 'survey',
  // Publishing bumps a wave's updated_at; a recomputation replaces its estimate rows (new ids).
  reads: [
    { table: 'survey_waves', stamp: 'updated_at' },
    { table: 'survey_estimates', stamp: 'id' },
  ],
  observe: observeSurveyWaves,
};

/**
 * Registries (registry-observations.ts): an indicator bound to a registry query takes the query's value as of each
 * cycle end and the day judged — counts of 示范学校/科普教育基地 … in force, trainees of the year, 科普活动 person-times
 * by county, 科普经费 per resident — with the link to the records behind it as `ref`.
 */
export const registryObservationSource: ObservationSource = {
  kind: 'registry',
  exclusive: true,
  reads: [
    { table: 'indicator_bindings', stamp: 'updated_at' },
    { table: 'resources', stamp: 'updated_at' },
    { table: 'activities', stamp: 'updated_at' },
    { table: 'funding', stamp: 'updated_at' },
  ],
  observe: (db, indicators, opts = {}) =>
    observeRegistries(db, indicators, opts, async (jurisdictionId, year) => {
      const { population } = await planScope(db, jurisdictionId);
      return population.find((p) => p.county === null && p.year === year)?.population ?? null;
    }),
};

/** The registered sources. */
export const OBSERVATION_SOURCES: ObservationSource[] = [
  reportObservationSource,
  surveyObservationSource,
  countyObservationSource,
  registryObservationSource,
];

/** Every table the registered sources read (for the overview cache's fingerprint). */
export function observationReads(): ChangeMark[] {
  return OBSERVATION_SOURCES.flatMap((s) => s.reads);
}

/** Observations of the indicators from every registered source. */
export async function collectObservations(
  db: Kysely<Database>,
  indicators: IndicatorsTable[],
  sources: ObservationSource[] = OBSERVATION_SOURCES,
  opts: ObserveOptions = {},
): Promise<Map<string, Observation[]>> {
  const out = new Map<string, Observation[]>();
  const owned = new Map<string, Observation[]>();
  for (const source of sources) {
    for (const [id, list] of await source.observe(db, indicators, opts)) {
      if (source.exclusive) owned.set(id, list);
      else out.set(id, [...(out.get(id) ?? []), ...list]);
    }
  }
  for (const [id, list] of owned) out.set(id, list);
  return out;
}

/** Counties (区县 units) by id, their short names, and ids by full or short name. */
export interface CountyIndex {
  ids: string[];
  names: Record<string, string>;
  byName: Map<string, string>;
}

/** Counties (区县 units) and their names, for breakdowns and the engine's sentences. */
export async function countyIndex(db: Kysely<Database>): Promise<CountyIndex> {
  const rows = await countyRows(db);
  const names: Record<string, string> = {};
  const byName = new Map<string, string>();
  for (const r of rows) {
    names[r.id] = r.short_name;
    byName.set(r.name, r.id);
    byName.set(r.short_name, r.id);
  }
  return { ids: rows.map((r) => r.id), names, byName };
}

/**
 * The counties a plan's indicators break down by, and its population table, seen from the plan's jurisdiction: at
 * the root, every county unit and the total as recorded; below it, the children's government units, and the
 * jurisdiction's own population (its government unit's rows) as the total. A jurisdiction without children breaks
 * nothing down (null).
 */
export async function planScope(
  db: Kysely<Database>,
  jurisdictionId: string | null,
): Promise<{ counties: CountyIndex | null; population: PopulationTable }> {
  const all = await countyIndex(db);
  const population = await populationTable(db, all.byName);
  const scope = jurisdictionId ? await jurisdictionScopeRows(db, jurisdictionId) : null;
  // A city at the root keeps every county unit and the recorded total (as before levels existed); a province at the
  // root, like every level below it, breaks down by its children.
  if (!scope?.own || (scope.own.parent_id === null && scope.own.level === 'city'))
    return { counties: all, population };
  const ownUnit = scope.own.government_unit_id;
  const childIds = new Set(scope.children.map((c) => c.id));
  const counties: CountyIndex = { ids: [], names: {}, byName: new Map() };
  for (const c of scope.children) {
    counties.ids.push(c.id);
    counties.names[c.id] = c.short_name;
    counties.byName.set(c.name, c.id);
    counties.byName.set(c.short_name, c.id);
  }
  const scoped: PopulationTable = [];
  for (const r of population) {
    if (r.county !== null && r.county === ownUnit) scoped.push({ ...r, county: null });
    else if (r.county !== null && childIds.has(r.county)) scoped.push(r);
  }
  return { counties: counties.ids.length > 0 ? counties : null, population: scoped };
}

/**
 * The population table the engine needs, from the surveys module's margins (常住人口 by year): dimension 'county'
 * rows whose level names a county unit, and the city total. Figures are only ever the admin's or the census's.
 */
export async function populationTable(
  db: Kysely<Database>,
  byName: Map<string, string>,
): Promise<PopulationTable> {
  const rows = await populationMarginRows(db);
  const out: PopulationTable = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const county = r.dimension === 'total' ? null : (byName.get(r.level) ?? null);
    if (r.dimension === 'county' && county === null) continue;
    const key = `${county ?? ''}|${r.year}`;
    if (seen.has(key) || !(Number(r.population) > 0)) continue;
    seen.add(key);
    out.push({ county, year: r.year, population: Number(r.population) });
  }
  return out;
}

/** A stored indicator as the engine reads it. */
export function toEngineIndicator(
  row: IndicatorsTable,
  breakdowns: { indicator_id: string; unit_id: string; target_value: string }[],
  startDate: string,
): EngineIndicator {
  const own = breakdowns.filter((b) => b.indicator_id === row.id);
  const baseline =
    row.baseline_value !== null && row.baseline_year !== null
      ? { value: Number(row.baseline_value), year: row.baseline_year }
      : null;
  return {
    id: row.id,
    kind: row.kind as EngineIndicator['kind'],
    comparator: row.comparator as EngineIndicator['comparator'],
    targetValue: Number(row.target_value),
    unit: row.unit,
    deadline: row.deadline,
    startDate,
    baseline,
    byCounty: row.breakdown_by_county === 1,
    ...(own.length > 0
      ? { countyTargets: Object.fromEntries(own.map((b) => [b.unit_id, Number(b.target_value)])) }
      : {}),
  };
}
