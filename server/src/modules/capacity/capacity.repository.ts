import type { Kysely } from 'kysely';
import type { CapacityConfigsTable, CapacityResultsTable, Database } from '../../db/schema';

export function findConfigRow(
  db: Kysely<Database>,
  jurisdictionId: string,
  year: number,
): Promise<CapacityConfigsTable | undefined> {
  return db
    .selectFrom('capacity_configs')
    .selectAll()
    .where('jurisdiction_id', '=', jurisdictionId)
    .where('year', '=', year)
    .executeTakeFirst();
}

export async function insertConfigRow(db: Kysely<Database>, row: CapacityConfigsTable): Promise<void> {
  await db.insertInto('capacity_configs').values(row).execute();
}

/** Update a configuration if its version is still `version`; false when someone changed it first. */
export async function updateConfigRow(
  db: Kysely<Database>,
  id: string,
  version: number,
  changes: Pick<
    CapacityConfigsTable,
    'scaling' | 'dimensions_json' | 'manual_values_json' | 'updated_by' | 'updated_at'
  >,
): Promise<boolean> {
  const r = await db
    .updateTable('capacity_configs')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertResultRow(db: Kysely<Database>, row: CapacityResultsTable): Promise<void> {
  await db.insertInto('capacity_results').values(row).execute();
}

export function findResultRow(db: Kysely<Database>, id: string): Promise<CapacityResultsTable | undefined> {
  return db.selectFrom('capacity_results').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The results of a level and year (the one query both readers below narrow). */
function resultsOfYear(db: Kysely<Database>, jurisdictionId: string, year: number) {
  return db
    .selectFrom('capacity_results')
    .selectAll()
    .where('jurisdiction_id', '=', jurisdictionId)
    .where('year', '=', year);
}

/** The newest computed result of a level and year. */
export function latestResultRow(
  db: Kysely<Database>,
  jurisdictionId: string,
  year: number,
): Promise<CapacityResultsTable | undefined> {
  return resultsOfYear(db, jurisdictionId, year)
    .orderBy('computed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function publishedResultRow(
  db: Kysely<Database>,
  jurisdictionId: string,
  year: number,
): Promise<CapacityResultsTable | undefined> {
  return resultsOfYear(db, jurisdictionId, year).where('is_published', '=', 1).executeTakeFirst();
}

/** Make `id` the one published result of its level and year (or none, with id null). */
export async function setPublishedResult(
  db: Kysely<Database>,
  jurisdictionId: string,
  year: number,
  id: string | null,
  by: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('capacity_results')
    .set({ is_published: 0, published_at: null, published_by: null })
    .where('jurisdiction_id', '=', jurisdictionId)
    .where('year', '=', year)
    .where('is_published', '=', 1)
    .execute();
  if (id)
    await db
      .updateTable('capacity_results')
      .set({ is_published: 1, published_at: at, published_by: by })
      .where('id', '=', id)
      .execute();
}

/** Every published result's level and year with the level's name, newest year first, upper levels first. */
export function publishedResultKeys(db: Kysely<Database>) {
  return db
    .selectFrom('capacity_results as r')
    .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
    .select(['r.jurisdiction_id', 'r.year', 'j.name', 'j.path'])
    .where('r.is_published', '=', 1)
    .orderBy('r.year', 'desc')
    .orderBy('j.path')
    .execute();
}
