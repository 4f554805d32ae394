import { type Kysely, sql } from 'kysely';
import type { ChangeMark } from '../../db/change-mark';
import { readInParts } from '../../db/dialect';
import type { Database, ReportingCyclesTable } from '../../db/schema';

/** The inputs of a plan's evaluation, each read once per evaluation (progress.service.ts). */

/** Cycles of a plan, oldest period first. */
export function planCycleRows(db: Kysely<Database>, planId: string): Promise<ReportingCyclesTable[]> {
  return db
    .selectFrom('reporting_cycles')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('period_end')
    .orderBy('id')
    .execute();
}

/** Whether a cycle exists at all (to tell "no such cycle" from "not this plan's"). */
export async function cycleExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('reporting_cycles').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

/**
 * The end of each version's plan period (plan-dates.ts): its latest indicator deadline; versions without any
 * deadline are absent.
 */
export async function planEndRows(
  db: Kysely<Database>,
  versionIds: string[],
): Promise<{ version_id: string; plan_end: string }[]> {
  if (versionIds.length === 0) return [];
  const rows = await db
    .selectFrom('indicators as i')
    .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
    .select(['t.version_id', (e) => e.fn.max('i.deadline').as('plan_end')])
    .where('t.version_id', 'in', versionIds)
    .where('i.deadline', 'is not', null)
    .groupBy('t.version_id')
    .execute();
  return rows.filter((r): r is { version_id: string; plan_end: string } => r.plan_end !== null);
}

export interface ApprovedValueRow {
  report_id: string;
  indicator_id: string;
  county_id: string | null;
  value: string;
  period_end: string;
  cycle_name: string;
  cycle_id: string;
  unit_id: string;
  unit_name: string;
  reviewed_at: string | null;
  role: string | null;
}

/** Approved, entered values of some indicators, with their cycle, unit and the unit's role on the task. */
export async function approvedValueRows(
  db: Kysely<Database>,
  indicatorIds: string[],
): Promise<ApprovedValueRow[]> {
  if (indicatorIds.length === 0) return [];
  // The values with their report only; the few cycles, units and roles they name are read once each and joined
  // here. Joining them in SQL was a look-up of each per value row (~92,000 rows a city plan of bench/province):
  // a third of this query, the biggest input of an evaluation (bench/RESULTS.md, annual report).
  const rows = await readInParts(indicatorIds, (part) =>
    db
      .selectFrom('report_values as v')
      .innerJoin('progress_reports as r', 'r.id', 'v.report_id')
      .select([
        'v.report_id',
        'v.indicator_id',
        'v.county_id',
        'v.value',
        'r.cycle_id',
        'r.unit_id',
        'r.task_id',
        'r.reviewed_at',
      ])
      .where('r.state', '=', 'approved')
      .where('v.value', 'is not', null)
      .where('v.indicator_id', 'in', part)
      .execute(),
  );
  if (rows.length === 0) return [];
  const cycleIds = new Set<string>();
  const unitIds = new Set<string>();
  const taskIds = new Set<string>();
  for (const r of rows) {
    cycleIds.add(r.cycle_id);
    unitIds.add(r.unit_id);
    taskIds.add(r.task_id);
  }
  const [cycles, units, roles] = await Promise.all([
    readInParts([...cycleIds], (ids) =>
      db.selectFrom('reporting_cycles').select(['id', 'period_end', 'name']).where('id', 'in', ids).execute(),
    ),
    readInParts([...unitIds], (ids) =>
      db.selectFrom('units').select(['id', 'short_name']).where('id', 'in', ids).execute(),
    ),
    readInParts([...taskIds], (ids) =>
      db
        .selectFrom('plan_task_units')
        .select(['task_id', 'unit_id', 'role'])
        .where('task_id', 'in', ids)
        .execute(),
    ),
  ]);
  const cycleOf = new Map(cycles.map((c) => [c.id, c]));
  const unitName = new Map(units.map((u) => [u.id, u.short_name]));
  // task → unit → role (nested, so no key string is made per value row).
  const roleOf = new Map<string, Map<string, string>>();
  for (const a of roles) {
    const byUnit = roleOf.get(a.task_id) ?? new Map<string, string>();
    byUnit.set(a.unit_id, a.role);
    roleOf.set(a.task_id, byUnit);
  }
  const out: ApprovedValueRow[] = [];
  for (const r of rows) {
    const c = cycleOf.get(r.cycle_id);
    const unit = unitName.get(r.unit_id);
    if (!c || unit === undefined) continue;
    out.push({
      report_id: r.report_id,
      indicator_id: r.indicator_id,
      county_id: r.county_id,
      value: r.value as string,
      period_end: c.period_end,
      cycle_name: c.name,
      cycle_id: r.cycle_id,
      unit_id: r.unit_id,
      unit_name: unit,
      reviewed_at: r.reviewed_at,
      role: roleOf.get(r.task_id)?.get(r.unit_id) ?? null,
    });
  }
  return out;
}

/** The county indicators an upper indicator was assigned down to (分解下达), with the county's government unit. */
export function allocationRollupRows(
  db: Kysely<Database>,
  indicatorIds: string[],
): Promise<
  { indicator_id: string; county_indicator_id: string; government_unit_id: string; county_name: string }[]
> {
  if (indicatorIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('allocations as a')
    .innerJoin('jurisdictions as j', 'j.id', 'a.jurisdiction_id')
    .select([
      'a.indicator_id',
      'a.county_indicator_id',
      'j.government_unit_id',
      'j.short_name as county_name',
    ])
    .where('a.indicator_id', 'in', indicatorIds)
    .where('a.county_indicator_id', 'is not', null)
    .where('j.government_unit_id', 'is not', null)
    .execute() as Promise<
    { indicator_id: string; county_indicator_id: string; government_unit_id: string; county_name: string }[]
  >;
}

/**
 * A plan's jurisdiction as the evaluation needs it: whether it is the root, its own government unit (丰县人民政府
 * for 丰县) and its children's government units (the "counties" its indicators break down by).
 */
export async function jurisdictionScopeRows(
  db: Kysely<Database>,
  jurisdictionId: string,
): Promise<{
  own: { parent_id: string | null; government_unit_id: string | null; level: string } | undefined;
  children: { id: string; name: string; short_name: string }[];
}> {
  const [own, children] = await Promise.all([
    db
      .selectFrom('jurisdictions')
      .select(['parent_id', 'government_unit_id', 'level'])
      .where('id', '=', jurisdictionId)
      .executeTakeFirst(),
    db
      .selectFrom('jurisdictions as j')
      .innerJoin('units as u', 'u.id', 'j.government_unit_id')
      .select(['u.id', 'u.name', 'u.short_name'])
      .where('j.parent_id', '=', jurisdictionId)
      .where('u.is_active', '=', 1)
      .orderBy('j.sort_order')
      .orderBy('j.name')
      .execute(),
  ]);
  return { own, children };
}

/** Live county-level units (区县), whose ids key county breakdowns. */
export function countyRows(
  db: Kysely<Database>,
): Promise<{ id: string; name: string; short_name: string }[]> {
  return db
    .selectFrom('units')
    .select(['id', 'name', 'short_name'])
    .where('kind', '=', 'county')
    .where('is_active', '=', 1)
    .where('merged_into_id', 'is', null)
    .orderBy('sort_order')
    .orderBy('name')
    .execute();
}

/** Resident population by county and year from the surveys module's margins table (dimension 'county' / 'total'). */
export function populationMarginRows(
  db: Kysely<Database>,
): Promise<{ year: number; dimension: string; level: string; population: number; source: string | null }[]> {
  return db
    .selectFrom('population_margins')
    .select(['year', 'dimension', 'level', 'population', 'source'])
    .where('dimension', 'in', ['county', 'total'])
    .execute();
}

/** A unit's report on a task in a cycle, with its first submission (from the workflow events). */
export interface CycleReportRow {
  id: string;
  unit_id: string;
  task_id: string;
  state: string;
  first_submitted_at: string | null;
}

/** Every report of a cycle with the time of its first 'submit' event (a resubmission after a return keeps it). */
export function cycleReportRows(db: Kysely<Database>, cycleId: string): Promise<CycleReportRow[]> {
  // The first submission per report as a correlated lookup on (action, report_id): a grouped subquery over every
  // submit event of the installation took 2.5 s at province size (bench/province.bench.ts), this takes milliseconds.
  return db
    .selectFrom('progress_reports as r')
    .select((eb) => [
      'r.id',
      'r.unit_id',
      'r.task_id',
      'r.state',
      eb
        .selectFrom('report_events as e')
        .select((x) => x.fn.min('e.at').as('first_at'))
        .whereRef('e.report_id', '=', 'r.id')
        .where('e.action', '=', 'submit')
        .as('first_submitted_at'),
    ])
    .where('r.cycle_id', '=', cycleId)
    .execute() as Promise<CycleReportRow[]>;
}

/**
 * A cheap fingerprint of everything an evaluation reads: the plan's structure, cycles, units, population figures,
 * and every table an observation source declares (`marks`). Any committed insert, update or delete of those rows
 * changes it.
 */
export async function evaluationFingerprint(
  db: Kysely<Database>,
  marks: readonly ChangeMark[],
): Promise<string> {
  const declared = marks.flatMap((m) => [
    sql`(select count(*) from ${sql.table(m.deletedOnlyWith ?? m.table)})`,
    sql`(select max(${sql.ref(m.stamp)}) from ${sql.table(m.table)})`,
  ]);
  const parts = [
    sql`(select count(*) from reporting_cycles)`,
    sql`(select coalesce(sum(version), 0) from reporting_cycles)`,
    sql`(select count(*) from plan_versions)`,
    sql`(select coalesce(sum(is_published), 0) from plan_versions)`,
    sql`(select count(*) from plan_tasks)`,
    sql`(select coalesce(sum(version), 0) from plan_tasks)`,
    // Not plan_task_units: its rows change only with their task's (an import adds tasks; an edit of a task's units
    // moves the task's version) — and counting 216,000 of them took 42 ms on PostgreSQL at province size.
    sql`(select count(*) from indicators)`,
    sql`(select coalesce(sum(version), 0) from indicators)`,
    sql`(select count(*) from indicator_breakdowns)`,
    sql`(select count(*) from units)`,
    sql`(select coalesce(sum(version), 0) from units)`,
    sql`(select count(*) from population_margins)`,
    sql`(select max(updated_at) from population_margins)`,
    // A plan's counties are its jurisdiction's children (planScope).
    sql`(select count(*) from jurisdictions)`,
    sql`(select coalesce(sum(version), 0) from jurisdictions)`,
    ...declared,
  ];
  const r = await sql<Record<string, unknown>>`select ${sql.join(
    parts.map((p, k) => sql`${p} as ${sql.ref(`f${k}`)}`),
  )}`.execute(db);
  const row = r.rows[0] ?? {};
  return Object.values(row)
    .map((v) => String(v ?? ''))
    .join('|');
}

/** Registry bindings of the given indicators, with their plan's jurisdiction (and its subtree path). */
export function bindingRows(
  db: Kysely<Database>,
  indicatorIds: readonly string[],
): Promise<
  {
    indicator_id: string;
    query_json: string;
    jurisdiction_id: string | null;
    jurisdiction_path: string | null;
    government_unit_id: string | null;
    parent_id: string | null;
    level: string | null;
  }[]
> {
  if (indicatorIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('indicator_bindings as b')
    .innerJoin('indicators as i', 'i.id', 'b.indicator_id')
    .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
    .innerJoin('plan_versions as v', 'v.id', 't.version_id')
    .innerJoin('plans as p', 'p.id', 'v.plan_id')
    .leftJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select([
      'b.indicator_id',
      'b.query_json',
      'p.jurisdiction_id',
      'j.path as jurisdiction_path',
      'j.government_unit_id',
      'j.parent_id',
      'j.level',
    ])
    .where('b.indicator_id', 'in', indicatorIds)
    .execute();
}

/** Registry records of a kind in a jurisdiction's subtree (all of them when the path is null), for counting by date. */
export function registryRecordRows(
  db: Kysely<Database>,
  q: { kind: string; levels?: readonly string[]; categories?: readonly string[]; path: string | null },
): Promise<
  {
    jurisdiction_id: string;
    recognised_on: string | null;
    expires_on: string | null;
    withdrawn_on: string | null;
    quantity: number | null;
  }[]
> {
  let query = db
    .selectFrom('resources as r')
    .select(['r.jurisdiction_id', 'r.recognised_on', 'r.expires_on', 'r.withdrawn_on', 'r.quantity'])
    .where('r.kind', '=', q.kind);
  if (q.levels?.length) query = query.where('r.level', 'in', q.levels);
  if (q.categories?.length) query = query.where('r.category', 'in', q.categories);
  if (q.path !== null) {
    const path = q.path;
    query = query
      .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
      .where('j.path', 'like', `${path}%`);
  }
  return query.execute();
}

/** The jurisdictions of a subtree (all when the path is null) with their paths and government units. */
export function subtreeJurisdictionRows(
  db: Kysely<Database>,
  path: string | null,
): Promise<{ id: string; parent_id: string | null; path: string; government_unit_id: string | null }[]> {
  let query = db.selectFrom('jurisdictions').select(['id', 'parent_id', 'path', 'government_unit_id']);
  if (path !== null) query = query.where('path', 'like', `${path}%`);
  return query.execute();
}

/** Person-times of counted 科普活动 (joint activities once) by jurisdiction and day, between two days. */
export async function activityDayTotals(
  db: Kysely<Database>,
  jurisdictionIds: readonly string[],
  from: string,
  to: string,
): Promise<{ jurisdiction_id: string; start_date: string; total: number }[]> {
  if (jurisdictionIds.length === 0) return [];
  const rows = await db
    .selectFrom('activities')
    .select((eb) => ['jurisdiction_id', 'start_date', eb.fn.sum<string | number>('participants').as('total')])
    .where('jurisdiction_id', 'in', jurisdictionIds)
    .where('duplicate_of', 'is', null)
    .where('start_date', '>=', from)
    .where('start_date', '<=', to)
    .groupBy(['jurisdiction_id', 'start_date'])
    .execute();
  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}

/** 科普经费 budgeted by a jurisdiction (its own level's rows) per year. */
export async function fundingYearTotals(
  db: Kysely<Database>,
  jurisdictionId: string,
): Promise<{ year: number; budgeted: number }[]> {
  const rows = await db
    .selectFrom('funding')
    .select((eb) => ['year', eb.fn.sum<string | number>('budgeted').as('budgeted')])
    .where('jurisdiction_id', '=', jurisdictionId)
    .groupBy('year')
    .execute();
  return rows.map((r) => ({ year: Number(r.year), budgeted: Number(r.budgeted) }));
}
