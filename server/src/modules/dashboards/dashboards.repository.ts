import { type Kysely, sql } from 'kysely';
import type { Database, DashboardSnapshotsTable } from '../../db/schema';

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
  planIds: string[],
  day: string,
): Promise<string | null> {
  if (planIds.length === 0) return null;
  const base = db
    .selectFrom('reporting_cycles')
    .select('id')
    .where('plan_id', 'in', planIds)
    .orderBy('period_end', 'desc')
    .orderBy('id', 'desc')
    .limit(1);
  const started = await base.where('period_start', '<=', day).executeTakeFirst();
  if (started) return started.id;
  return (await base.executeTakeFirst())?.id ?? null;
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

/** A snapshot head with the level whose plan it shows (the public page of each level lists its own). */
export type PlacedSnapshotHead = SnapshotHead & {
  jurisdiction_id: string | null;
  jurisdiction_name: string | null;
  jurisdiction_path: string | null;
};

function placedHeads(db: Kysely<Database>) {
  return db
    .selectFrom('dashboard_snapshots as s')
    .leftJoin('plans as p', 'p.id', 's.plan_id')
    .leftJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select(HEAD.map((c) => `s.${c}` as const))
    .select(['p.jurisdiction_id', 'j.name as jurisdiction_name', 'j.path as jurisdiction_path']);
}

/** Every snapshot (history), newest first; optionally of one cycle. */
export function snapshotHeads(db: Kysely<Database>, cycleId?: string): Promise<PlacedSnapshotHead[]> {
  return placedHeads(db)
    .$if(cycleId !== undefined, (q) => q.where('s.cycle_id', '=', cycleId!))
    .orderBy('s.published_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
}

/** Published snapshots only (at most one per cycle), latest period first; optionally of one level. */
export function publishedSnapshotHeads(
  db: Kysely<Database>,
  jurisdictionId?: string,
): Promise<PlacedSnapshotHead[]> {
  return placedHeads(db)
    .where('s.is_published', '=', 1)
    .$if(jurisdictionId !== undefined, (q) => q.where('p.jurisdiction_id', '=', jurisdictionId!))
    .orderBy('s.period_end', 'desc')
    .orderBy('s.published_at', 'desc')
    .execute();
}

/** One snapshot with its level. */
export function findPlacedSnapshotHead(
  db: Kysely<Database>,
  id: string,
): Promise<PlacedSnapshotHead | undefined> {
  return placedHeads(db).where('s.id', '=', id).executeTakeFirst();
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

/** The plans of a jurisdiction (and, for the root, those made before jurisdictions existed). */
export async function planIdsOfJurisdiction(
  db: Kysely<Database>,
  jurisdictionId: string | null,
  withUnassigned: boolean,
): Promise<string[]> {
  const rows = await db
    .selectFrom('plans')
    .select('id')
    .where((eb) =>
      eb.or([
        ...(jurisdictionId !== null ? [eb('jurisdiction_id', '=', jurisdictionId)] : []),
        ...(withUnassigned || jurisdictionId === null ? [eb('jurisdiction_id', 'is', null)] : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}
