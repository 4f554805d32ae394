import type { Observation } from '@kesu/indicators';
import { describeRegistryQuery, type RegistryQuery, RegistryQuerySchema, recordStatusOn } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database, IndicatorsTable } from '../../db/schema';
import {
  activityDayTotals,
  bindingRows,
  fundingYearTotals,
  registryRecordRows,
  subtreeJurisdictionRows,
} from './progress.repository';

/** When and for what place a registry source is asked: the evaluation day and the plan's cycle ends. */
export interface RegistryObserveOptions {
  asOf?: string;
  /** The days observations are made for (each cycle's period end); asOf is added. */
  dates?: readonly string[];
}

/** Residents of a jurisdiction's own level in a year (its plan's population total), or null when not recorded. */
export type ResidentsOf = (jurisdictionId: string, year: number) => Promise<number | null>;

type Binding = Awaited<ReturnType<typeof bindingRows>>[number];

/** Whether a recognition counts on a day: 在册 as the registry list judges it (recognised, not expired, not 摘牌). */
export function inForce(
  r: { recognised_on: string | null; expires_on: string | null; withdrawn_on: string | null },
  day: string,
): boolean {
  return (
    recordStatusOn(
      { recognisedOn: r.recognised_on, expiresOn: r.expires_on, withdrawnOn: r.withdrawn_on },
      day,
    ) === '在册'
  );
}

/** The web page listing the records behind a number (a path of the app, with the query's filters). */
export function recordsLink(q: RegistryQuery, day: string, jurisdictionId: string | null): string {
  const params = new URLSearchParams();
  if (jurisdictionId) params.set('jurisdictionId', jurisdictionId);
  if (q.measure === 'activity_person_times') {
    params.set('year', day.slice(0, 4));
    params.set('includeDuplicates', 'false');
    return `activities?${params}`;
  }
  if (q.measure === 'funding_per_resident') {
    params.set('year', day.slice(0, 4));
    return `funding?${params}`;
  }
  if (q.levels?.length) params.set('level', q.levels.join(','));
  if (q.categories?.length) params.set('category', q.categories.join(','));
  if (q.measure === 'count') {
    params.set('status', 'in_force');
    params.set('asOf', day);
    if (q.recognisedFrom) params.set('recognisedFrom', q.recognisedFrom);
  } else {
    params.set('status', 'all');
    params.set('year', day.slice(0, 4));
  }
  return `registries/${q.kind}?${params}`;
}

/**
 * Registry queries (kind 'registry'): an indicator bound to the registries takes, for each day asked (the plan's
 * cycle ends and the evaluation day), the value the query gives as of that day — a count of recognitions in force
 * (新认定 since a day when asked), the trainees or events of the year so far, the person-times of the year's
 * 科普活动 (joint ones once) by county for a population share, or the year's 科普经费 per resident. Records are those of
 * the plan's jurisdiction and its subtree. Never typed: reports of a bound indicator show this value.
 */
export async function observeRegistries(
  db: Kysely<Database>,
  indicators: IndicatorsTable[],
  opts: RegistryObserveOptions,
  residentsOf: ResidentsOf,
): Promise<Map<string, Observation[]>> {
  const out = new Map<string, Observation[]>();
  const bindings = await bindingRows(
    db,
    indicators.map((i) => i.id),
  );
  if (bindings.length === 0) return out;
  const days = [...new Set([...(opts.dates ?? []), ...(opts.asOf ? [opts.asOf] : [])])].sort();
  const byId = new Map(indicators.map((i) => [i.id, i]));
  // Every bound indicator of a plan looks at the same subtree: read it once per evaluation.
  const subtrees = new Map<string, Promise<Places>>();
  const subtreeOf = (path: string | null) => {
    const key = path ?? '';
    const known = subtrees.get(key);
    if (known) return known;
    const read = subtreeJurisdictionRows(db, path);
    subtrees.set(key, read);
    return read;
  };
  for (const b of bindings) {
    const parsed = RegistryQuerySchema.safeParse(JSON.parse(b.query_json));
    const indicator = byId.get(b.indicator_id);
    if (!parsed.success || !indicator) continue;
    out.set(b.indicator_id, await observeOne(db, parsed.data, b, indicator, days, residentsOf, subtreeOf));
  }
  return out;
}

/**
 * Where a record counts: with a county breakdown, for the child of the plan's jurisdiction it belongs to (the child's
 * government unit keys the engine's counties; records of the level itself count in no county); otherwise the whole
 * subtree is one figure (key null).
 */
type Places = Awaited<ReturnType<typeof subtreeJurisdictionRows>>;

async function placesOf(
  b: Binding,
  indicator: IndicatorsTable,
  subtreeOf: (path: string | null) => Promise<Places>,
) {
  const places = await subtreeOf(b.jurisdiction_path);
  const rootId = b.jurisdiction_id ?? places.find((p) => p.parent_id === null)?.id ?? null;
  const children = places.filter((p) => p.parent_id === rootId && p.government_unit_id);
  const byCounty = indicator.breakdown_by_county === 1 && children.length > 0;
  const countyOf = new Map<string, string | null>();
  for (const p of places) {
    const child = byCounty ? children.find((c) => p.path.startsWith(c.path)) : undefined;
    countyOf.set(p.id, child?.government_unit_id ?? null);
  }
  const keys: (string | null)[] = byCounty ? children.map((c) => c.government_unit_id) : [null];
  const jurisdictionOf = (county: string | null) =>
    county === null ? b.jurisdiction_id : (children.find((c) => c.government_unit_id === county)?.id ?? null);
  return {
    places,
    keys,
    /** The county key a record of a jurisdiction counts for; undefined: in no county (the level's own). */
    keyOf: (jurisdictionId: string): string | null | undefined => {
      const k = countyOf.get(jurisdictionId);
      return byCounty ? (k ?? undefined) : null;
    },
    jurisdictionOf,
  };
}

async function observeOne(
  db: Kysely<Database>,
  q: RegistryQuery,
  b: Binding,
  indicator: IndicatorsTable,
  days: string[],
  residentsOf: ResidentsOf,
  subtreeOf: (path: string | null) => Promise<Places>,
): Promise<Observation[]> {
  if (days.length === 0) return [];
  if (q.measure === 'funding_per_resident') return observeFunding(db, q, b, days, residentsOf);
  const what = describeRegistryQuery(q);
  const where = await placesOf(b, indicator, subtreeOf);
  // Each (day, county) figure: a count in force, the year's trainees or events so far, the year's person-times.
  const figures = new Map<string, number>();
  const add = (day: string, county: string | null, n: number) => {
    const k = `${day}|${county ?? ''}`;
    figures.set(k, (figures.get(k) ?? 0) + n);
  };
  if (q.measure === 'activity_person_times') {
    const totals = await activityDayTotals(
      db,
      where.places.map((p) => p.id),
      `${days[0]?.slice(0, 4)}-01-01`,
      days[days.length - 1] ?? '',
    );
    for (const day of days) {
      const from = `${day.slice(0, 4)}-01-01`;
      for (const t of totals) {
        const county = where.keyOf(t.jurisdiction_id);
        if (county === undefined || t.start_date < from || t.start_date > day) continue;
        add(day, county, t.total);
      }
    }
  } else {
    const rows = await registryRecordRows(db, {
      kind: q.kind ?? '',
      levels: q.levels,
      categories: q.categories,
      path: b.jurisdiction_path,
    });
    for (const day of days) {
      const from = `${day.slice(0, 4)}-01-01`;
      for (const r of rows) {
        const county = where.keyOf(r.jurisdiction_id);
        if (county === undefined) continue;
        if (q.measure === 'count') {
          if (inForce(r, day) && (!q.recognisedFrom || (r.recognised_on ?? '') >= q.recognisedFrom))
            add(day, county, 1);
        } else if (r.recognised_on !== null && r.recognised_on >= from && r.recognised_on <= day) {
          add(day, county, q.measure === 'sum_quantity' ? (r.quantity ?? 0) : 1);
        }
      }
    }
  }
  const unit =
    q.measure === 'activity_person_times' ? '人次' : q.measure === 'sum_quantity' ? '人' : indicator.unit;
  const out: Observation[] = [];
  for (const day of days) {
    for (const county of where.keys) {
      const value = figures.get(`${day}|${county ?? ''}`) ?? 0;
      out.push({
        value,
        period: day,
        ...(county ? { county } : {}),
        source: {
          kind: 'registry',
          ref: recordsLink(q, day, where.jurisdictionOf(county)),
          label: `资源库 · ${what} · 截至 ${day}：${value.toLocaleString('zh-CN')}${unit}`,
        },
        approved: true,
      });
    }
  }
  return out;
}

async function observeFunding(
  db: Kysely<Database>,
  q: RegistryQuery,
  b: Binding,
  days: string[],
  residentsOf: ResidentsOf,
): Promise<Observation[]> {
  const jurisdictionId = b.jurisdiction_id;
  if (!jurisdictionId) return [];
  const budgets = await fundingYearTotals(db, jurisdictionId);
  const out: Observation[] = [];
  for (const day of days) {
    const year = Number(day.slice(0, 4));
    const budget = budgets.find((x) => x.year === year);
    const people = budget ? await residentsOf(jurisdictionId, year) : null;
    // No budget or no residents recorded: no figure (never 0).
    if (!budget || !people) continue;
    const value = Math.round((budget.budgeted / people) * 100) / 100;
    out.push({
      value,
      period: day,
      source: {
        kind: 'registry',
        ref: recordsLink(q, day, jurisdictionId),
        label: `资源库 · ${describeRegistryQuery(q)} · ${year}年：${value}元/人`,
      },
      approved: true,
    });
  }
  return out;
}
