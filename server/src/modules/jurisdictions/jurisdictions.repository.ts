import type { Kysely } from 'kysely';
import type { Database, JurisdictionsTable } from '../../db/schema';

export type JurisdictionRow = JurisdictionsTable & {
  government_unit_name: string | null;
  unit_count: number;
  user_count: number;
};

function withCounts(db: Kysely<Database>) {
  return db
    .selectFrom('jurisdictions as j')
    .leftJoin('units as g', 'g.id', 'j.government_unit_id')
    .selectAll('j')
    .select((eb) => [
      'g.name as government_unit_name',
      eb
        .selectFrom('units as u')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('u.jurisdiction_id', '=', 'j.id')
        .where('u.merged_into_id', 'is', null)
        .as('unit_count'),
      eb
        .selectFrom('users as a')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('a.jurisdiction_id', '=', 'j.id')
        .as('user_count'),
    ]);
}

/** The jurisdictions of a subtree (its root's path is a prefix of theirs), parents before children. */
export async function subtreeRows(db: Kysely<Database>, path: string): Promise<JurisdictionRow[]> {
  const rows = await withCounts(db)
    .where('j.path', 'like', `${path}%`)
    .orderBy('j.sort_order')
    .orderBy('j.name')
    .execute();
  return rows.map((r) => ({ ...r, unit_count: Number(r.unit_count), user_count: Number(r.user_count) }));
}

export async function findJurisdictionRow(
  db: Kysely<Database>,
  id: string,
): Promise<JurisdictionRow | undefined> {
  const r = await withCounts(db).where('j.id', '=', id).executeTakeFirst();
  return r ? { ...r, unit_count: Number(r.unit_count), user_count: Number(r.user_count) } : undefined;
}

/** The root of the installation (the top level it serves), if any yet. */
export function rootJurisdictionRow(db: Kysely<Database>): Promise<JurisdictionsTable | undefined> {
  return db
    .selectFrom('jurisdictions')
    .selectAll()
    .where('parent_id', 'is', null)
    .orderBy('sort_order')
    .orderBy('created_at')
    .executeTakeFirst();
}

/** The children of a jurisdiction, in their order. */
export function childRows(db: Kysely<Database>, parentId: string): Promise<JurisdictionsTable[]> {
  return db
    .selectFrom('jurisdictions')
    .selectAll()
    .where('parent_id', '=', parentId)
    .orderBy('sort_order')
    .orderBy('name')
    .execute();
}

export function jurisdictionRowOfGovernmentUnit(
  db: Kysely<Database>,
  unitId: string,
): Promise<JurisdictionsTable | undefined> {
  return db
    .selectFrom('jurisdictions')
    .selectAll()
    .where('government_unit_id', '=', unitId)
    .executeTakeFirst();
}

/** The path of a jurisdiction (null: none such). */
export async function pathOf(db: Kysely<Database>, id: string): Promise<string | null> {
  const r = await db.selectFrom('jurisdictions').select('path').where('id', '=', id).executeTakeFirst();
  return r?.path ?? null;
}

export async function insertJurisdictionRow(db: Kysely<Database>, row: JurisdictionsTable): Promise<void> {
  await db.insertInto('jurisdictions').values(row).execute();
}

/** Update guarded by the version read; false when someone else changed it first. */
export async function updateJurisdictionRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<JurisdictionsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('jurisdictions')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function jurisdictionByCode(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'name', 'parent_id', 'government_unit_id'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** Units of kind county or zone that no jurisdiction stands for yet (to give each its jurisdiction). */
export function unlinkedGovernmentUnits(db: Kysely<Database>) {
  return db
    .selectFrom('units as u')
    .select(['u.id', 'u.kind', 'u.short_name', 'u.region_code', 'u.sort_order'])
    .where('u.kind', 'in', ['county', 'zone'])
    .where('u.merged_into_id', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('jurisdictions as j').select('j.id').whereRef('j.government_unit_id', '=', 'u.id'),
        ),
      ),
    )
    .orderBy('u.sort_order')
    .execute();
}

/** Jurisdictions by id (an ancestor chain). */
export function rowsByIds(db: Kysely<Database>, ids: string[]): Promise<JurisdictionsTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('jurisdictions').selectAll().where('id', 'in', ids).execute();
}

/** Set a bounding box without counting a version (the seed's own root, as it is made). */
export async function setJurisdictionBox(
  db: Kysely<Database>,
  id: string,
  box: { min_lng: number; max_lng: number; min_lat: number; max_lat: number },
): Promise<void> {
  await db.updateTable('jurisdictions').set(box).where('id', '=', id).execute();
}
