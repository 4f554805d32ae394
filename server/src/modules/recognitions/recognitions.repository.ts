import type { Kysely } from 'kysely';
import { toCount } from '../../db/dialect';
import { jurisdictionsWithin } from '../../db/jurisdiction-scope';
import type { Database, RecognitionsTable } from '../../db/schema';

/** A record with the names shown beside it. */
export type RecognitionRow = RecognitionsTable & {
  jurisdiction_name: string;
  unit_name: string | null;
  recipient_jurisdiction_name: string | null;
};

export interface RecognitionFilters {
  /** Records awarded by a level of this subtree. */
  withinPath?: string;
  year?: number;
  level?: string;
  state?: string;
  /** Confirmed and published only (the public list). */
  publicOnly?: boolean;
}

function withNames(db: Kysely<Database>) {
  return db
    .selectFrom('recognitions as r')
    .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
    .leftJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('jurisdictions as rj', 'rj.id', 'r.recipient_jurisdiction_id')
    .selectAll('r')
    .select(['j.name as jurisdiction_name', 'u.name as unit_name', 'rj.name as recipient_jurisdiction_name']);
}

function filtered(db: Kysely<Database>, f: RecognitionFilters) {
  let q = db.selectFrom('recognitions as r');
  if (f.withinPath) q = q.where('r.jurisdiction_id', 'in', jurisdictionsWithin(db, f.withinPath));
  if (f.year !== undefined) q = q.where('r.year', '=', f.year);
  if (f.level) q = q.where('r.level', '=', f.level);
  if (f.state) q = q.where('r.state', '=', f.state);
  if (f.publicOnly) q = q.where('r.is_published', '=', 1).where('r.state', '=', 'confirmed');
  return q;
}

/** A page of records, newest year first, then newest entry first, with the total. */
export async function listRecognitionRows(
  db: Kysely<Database>,
  f: RecognitionFilters,
  page: number,
  pageSize: number,
): Promise<{ rows: RecognitionRow[]; total: number }> {
  const count = await filtered(db, f)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const total = toCount(count.n);
  if (total === 0) return { rows: [], total };
  const ids = (
    await filtered(db, f)
      .select('r.id')
      .orderBy('r.year', 'desc')
      .orderBy('r.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return { rows: [], total };
  const rows = (await withNames(db).where('r.id', 'in', ids).execute()) as RecognitionRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: ids.map((id) => byId.get(id)).filter((r): r is RecognitionRow => r !== undefined), total };
}

/** The years with confirmed, published records, newest first. */
export async function publicRecognitionYears(db: Kysely<Database>): Promise<number[]> {
  const rows = await filtered(db, { publicOnly: true })
    .select('r.year')
    .distinct()
    .orderBy('r.year', 'desc')
    .execute();
  return rows.map((r) => Number(r.year));
}

export async function findRecognitionRow(
  db: Kysely<Database>,
  id: string,
): Promise<RecognitionRow | undefined> {
  return (await withNames(db).where('r.id', '=', id).executeTakeFirst()) as RecognitionRow | undefined;
}

export async function insertRecognitionRow(db: Kysely<Database>, row: RecognitionsTable): Promise<void> {
  await db.insertInto('recognitions').values(row).execute();
}

/** Update a record if its version is still `version`; false when someone changed it first. */
export async function updateRecognitionRow(
  db: Kysely<Database>,
  id: string,
  version: number,
  changes: Partial<Omit<RecognitionsTable, 'id' | 'version' | 'created_at' | 'created_by'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('recognitions')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteRecognitionRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('recognitions').where('id', '=', id).execute();
}
