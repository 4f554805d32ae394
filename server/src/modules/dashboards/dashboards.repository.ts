import { type Kysely, sql } from 'kysely';
import type { Database, DashboardSnapshotsTable } from '../../db/schema';
import type { ChangeMark } from '../../db/change-mark';

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
  return db
    .selectFrom('progress_reports as r')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('report_events as e')
          .innerJoin('progress_reports as r2', 'r2.id', 'e.report_id')
          .select(['e.report_id', (x) => x.fn.min('e.at').as('first_at')])
          .where('e.action', '=', 'submit')
          .where('r2.cycle_id', '=', cycleId)
          .groupBy('e.report_id')
          .as('s'),
      (j) => j.onRef('s.report_id', '=', 'r.id'),
    )
    .select(['r.id', 'r.unit_id', 'r.task_id', 'r.state', 's.first_at as first_submitted_at'])
    .where('r.cycle_id', '=', cycleId)
    .execute() as Promise<CycleReportRow[]>;
}

/** Report summaries of the given ids (drill-down), with cycle, unit and task names. */
export async function reportRowsByIds(
  db: Kysely<Database>,
  ids: string[],
): Promise<
  {
    id: string;
    cycle_id: string;
    cycle_name: string;
    unit_id: string;
    unit_name: string;
    task_id: string;
    task_path: string;
    task_title: string;
    state: string;
  }[]
> {
  const out = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('progress_reports as r')
        .innerJoin('reporting_cycles as c', 'c.id', 'r.cycle_id')
        .innerJoin('units as u', 'u.id', 'r.unit_id')
        .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
        .select([
          'r.id',
          'r.cycle_id',
          'c.name as cycle_name',
          'r.unit_id',
          'u.short_name as unit_name',
          'r.task_id',
          't.path as task_path',
          't.title as task_title',
          'r.state',
        ])
        .where('r.id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

/** The latest cycle (by period end) of a plan, or of any plan; only cycles that started by `day`, if any did. */
export async function latestCycleId(
  db: Kysely<Database>,
  planId: string | null,
  day: string,
): Promise<string | null> {
  const base = db
    .selectFrom('reporting_cycles')
    .select('id')
    .$if(planId !== null, (q) => q.where('plan_id', '=', planId!))
    .orderBy('period_end', 'desc')
    .orderBy('id', 'desc')
    .limit(1);
  const started = await base.where('period_start', '<=', day).executeTakeFirst();
  if (started) return started.id;
  return (await base.executeTakeFirst())?.id ?? null;
}

/**
 * What the overview depends on, cheaply: counts and version sums of the plan structure, cycles and units, plus
 * count and max(stamp) of every table the observation sources declare. Any write to those changes it.
 */
export async function overviewFingerprint(
  db: Kysely<Database>,
  marks: readonly ChangeMark[],
): Promise<string> {
  const declared = marks.flatMap((m) => [
    sql`(select count(*) from ${sql.table(m.table)})`,
    sql`(select max(${sql.ref(m.stamp)}) from ${sql.table(m.table)})`,
  ]);
  const parts = [
    sql`(select count(*) from reporting_cycles)`,
    sql`(select coalesce(sum(version), 0) from reporting_cycles)`,
    sql`(select count(*) from plan_versions)`,
    sql`(select coalesce(sum(is_published), 0) from plan_versions)`,
    sql`(select count(*) from plan_tasks)`,
    sql`(select coalesce(sum(version), 0) from plan_tasks)`,
    sql`(select count(*) from plan_task_units)`,
    sql`(select count(*) from indicators)`,
    sql`(select coalesce(sum(version), 0) from indicators)`,
    sql`(select count(*) from indicator_breakdowns)`,
    sql`(select count(*) from units)`,
    sql`(select coalesce(sum(version), 0) from units)`,
    sql`(select count(*) from population_margins)`,
    sql`(select max(updated_at) from population_margins)`,
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

// ── snapshots ─────────────────────────────────────────────────────────────────────────────────────────────

export type SnapshotHead = Omit<DashboardSnapshotsTable, 'payload_json'>;

const HEAD = [
  'id',
  'plan_id',
  'cycle_id',
  'plan_title',
  'cycle_name',
  'period_end',
  'is_published',
  'published_at',
  'published_by',
  'published_by_name',
  'unpublished_at',
  'unpublished_by',
  'unpublished_by_name',
  'version',
] as const;

export async function insertSnapshotRow(db: Kysely<Database>, row: DashboardSnapshotsTable): Promise<void> {
  await db.insertInto('dashboard_snapshots').values(row).execute();
}

export function findSnapshotRow(
  db: Kysely<Database>,
  id: string,
): Promise<DashboardSnapshotsTable | undefined> {
  return db.selectFrom('dashboard_snapshots').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every snapshot (history), newest first; optionally of one cycle. */
export function snapshotHeads(db: Kysely<Database>, cycleId?: string): Promise<SnapshotHead[]> {
  return db
    .selectFrom('dashboard_snapshots')
    .select(HEAD)
    .$if(cycleId !== undefined, (q) => q.where('cycle_id', '=', cycleId!))
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Published snapshots only (at most one per cycle), latest period first. */
export function publishedSnapshotHeads(db: Kysely<Database>): Promise<SnapshotHead[]> {
  return db
    .selectFrom('dashboard_snapshots')
    .select(HEAD)
    .where('is_published', '=', 1)
    .orderBy('period_end', 'desc')
    .orderBy('published_at', 'desc')
    .execute();
}

/** Hide a published snapshot; false when it was not published (or changed) any more. */
export async function unpublishSnapshotRow(
  db: Kysely<Database>,
  id: string,
  changes: { unpublished_at: string; unpublished_by: string | null; unpublished_by_name: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('dashboard_snapshots')
    .set({ ...changes, is_published: 0, version: sql`version + 1` })
    .where('id', '=', id)
    .where('is_published', '=', 1)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Whether a cycle, or any report in it, was made by the demo loader (demo data is never published). */
export async function cycleHasDemoData(db: Kysely<Database>, cycleId: string): Promise<boolean> {
  const cycle = await db
    .selectFrom('reporting_cycles')
    .select('demo_batch_id')
    .where('id', '=', cycleId)
    .executeTakeFirst();
  if (cycle?.demo_batch_id) return true;
  const report = await db
    .selectFrom('progress_reports')
    .select('id')
    .where('cycle_id', '=', cycleId)
    .where('demo_batch_id', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return report !== undefined;
}
