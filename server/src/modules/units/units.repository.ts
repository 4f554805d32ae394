import type { UnitListQuery } from '@kesu/shared';
import { jurisdictionsWithin } from '../../db/jurisdiction-scope';
import type { Kysely } from 'kysely';
import { containsPattern, ilike, toCount } from '../../db/dialect';
import { FingerprintCache } from '../../db/read-cache';
import type { Database, UnitsTable } from '../../db/schema';

/**
 * Every column that refers to a unit. Merging two units moves all of them, so a module that adds a unit reference
 * registers it here.
 */
export const UNIT_REFERENCES: { table: keyof Database; column: string }[] = [
  { table: 'users', column: 'unit_id' },
  { table: 'plan_task_units', column: 'unit_id' },
  { table: 'indicator_breakdowns', column: 'unit_id' },
  { table: 'progress_reports', column: 'unit_id' },
  { table: 'report_values', column: 'county_id' },
  { table: 'supervision_notices', column: 'unit_id' },
  { table: 'notifications', column: 'recipient_unit_id' },
  { table: 'resources', column: 'unit_id' },
  { table: 'activities', column: 'organiser_unit_id' },
  { table: 'recognitions', column: 'unit_id' },
];

/**
 * Changes whenever a unit row is inserted or updated (every update bumps `version`), or deleted: only `kesu demo
 * remove` deletes units, and a later load makes new ones with a later `updated_at`, so the same count and version
 * sum never stand for other rows.
 */
async function unitsFingerprint(db: Kysely<Database>): Promise<string> {
  const r = await db
    .selectFrom('units')
    .select((eb) => [
      eb.fn.countAll().as('n'),
      eb.fn.sum<number>('version').as('v'),
      eb.fn.max('updated_at').as('t'),
    ])
    .executeTakeFirstOrThrow();
  return `${r.n}:${r.v}:${r.t ?? ''}`;
}

const listCache = new FingerprintCache<{ rows: UnitsTable[]; total: number }>(unitsFingerprint);

/** A page of units; answered from memory while the table is unchanged (see FingerprintCache). */
/** A page of units; `withinPath` keeps those of that jurisdiction subtree (null: every unit). */
export function listUnitRows(
  db: Kysely<Database>,
  q: UnitListQuery,
  withinPath: string | null,
): Promise<{ rows: UnitsTable[]; total: number }> {
  return listCache.get(db, JSON.stringify([q, withinPath]), () => readUnitPage(db, q, withinPath));
}

async function readUnitPage(
  db: Kysely<Database>,
  q: UnitListQuery,
  withinPath: string | null,
): Promise<{ rows: UnitsTable[]; total: number }> {
  let base = db.selectFrom('units');
  if (withinPath !== null) {
    base = base.where('jurisdiction_id', 'in', jurisdictionsWithin(db, withinPath));
  }
  if (q.jurisdictionId) base = base.where('jurisdiction_id', '=', q.jurisdictionId);
  if (q.kind) base = base.where('kind', '=', q.kind);
  if (q.active !== 'all') base = base.where('is_active', '=', q.active === 'true' ? 1 : 0);
  if (q.q) {
    const p = containsPattern(q.q);
    base = base.where((eb) =>
      eb.or([ilike(eb.ref('name'), p), ilike(eb.ref('short_name'), p), ilike(eb.ref('aliases'), p)]),
    );
  }
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('sort_order')
      .orderBy('name')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: toCount(count.n) };
}

export function findUnitRow(db: Kysely<Database>, id: string): Promise<UnitsTable | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export function allUnitRows(db: Kysely<Database>): Promise<UnitsTable[]> {
  return db.selectFrom('units').selectAll().orderBy('sort_order').orderBy('name').execute();
}

/** Whether the registry holds any unit at all. */
export async function hasAnyUnit(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('units').select('id').limit(1).execute()).length > 0;
}

export async function insertUnitRow(db: Kysely<Database>, row: UnitsTable): Promise<void> {
  await db.insertInto('units').values(row).execute();
}

/** Update guarded by the version read; returns false when someone else changed the row first. */
export async function updateUnitRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<UnitsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('units')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Reports that cannot follow a merge: the source unit and the target unit each have a report on the same task in the
 * same cycle (one report per unit, task and cycle). Returned as the cycle's name and the task's label and title.
 */
export async function reportsClashingOnMerge(
  db: Kysely<Database>,
  fromId: string,
  toId: string,
): Promise<{ cycleName: string; taskLabel: string; taskTitle: string }[]> {
  return db
    .selectFrom('progress_reports as s')
    .innerJoin('progress_reports as t', (j) =>
      j.onRef('t.cycle_id', '=', 's.cycle_id').onRef('t.task_id', '=', 's.task_id'),
    )
    .innerJoin('reporting_cycles as c', 'c.id', 's.cycle_id')
    .innerJoin('plan_tasks as k', 'k.id', 's.task_id')
    .select(['c.name as cycleName', 'k.label as taskLabel', 'k.title as taskTitle'])
    .where('s.unit_id', '=', fromId)
    .where('t.unit_id', '=', toId)
    .orderBy('c.name')
    .orderBy('k.label')
    .execute();
}

/** Point every registered reference from one unit to another; returns how many rows moved, per table. */
export async function moveUnitReferences(
  db: Kysely<Database>,
  fromId: string,
  toId: string,
): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const ref of UNIT_REFERENCES) {
    // The table and column names come from the constant list above, never from input.
    let q = db
      // biome-ignore lint/suspicious/noExplicitAny: the reference list spans tables whose column types differ
      .updateTable(ref.table as any)
      .set({ [ref.column]: toId })
      .where(ref.column, '=', fromId);
    if (ref.table === 'progress_reports') {
      // A report the target already has for the same task and cycle keeps the source's own (see reportsClashingOnMerge).
      q = q.where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('progress_reports as t')
              .select('t.id')
              .where('t.unit_id', '=', toId)
              .whereRef('t.cycle_id', '=', 'progress_reports.cycle_id')
              .whereRef('t.task_id', '=', 'progress_reports.task_id'),
          ),
        ),
      );
    }
    const r = await q.executeTakeFirst();
    moved[`${ref.table}.${ref.column}`] = Number(r.numUpdatedRows);
  }
  return moved;
}

/** The jurisdiction path of a unit (null: the unit has none, or there is no such unit). */
export async function unitJurisdictionPath(db: Kysely<Database>, unitId: string): Promise<string | null> {
  const r = await db
    .selectFrom('units')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'units.jurisdiction_id')
    .select('jurisdictions.path')
    .where('units.id', '=', unitId)
    .executeTakeFirst();
  return r?.path ?? null;
}
