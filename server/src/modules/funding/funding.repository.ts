import type { Kysely } from 'kysely';
import type { Database, FundingStandardsTable, FundingTable } from '../../db/schema';

/** The funding rows of some jurisdictions in some years. */
export function fundingRowsOf(
  db: Kysely<Database>,
  jurisdictionIds: string[],
  years: number[],
): Promise<FundingTable[]> {
  if (jurisdictionIds.length === 0 || years.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('funding')
    .selectAll()
    .where('jurisdiction_id', 'in', jurisdictionIds)
    .where('year', 'in', years)
    .orderBy('jurisdiction_id')
    .orderBy('year')
    .execute();
}

export async function insertFundingRow(db: Kysely<Database>, row: FundingTable): Promise<void> {
  await db.insertInto('funding').values(row).execute();
}

/** Update a row if its version is still `version`; false when someone changed it first. */
export async function updateFundingRow(
  db: Kysely<Database>,
  id: string,
  version: number,
  changes: Pick<FundingTable, 'budgeted' | 'spent' | 'note' | 'updated_by' | 'updated_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('funding')
    .set({ ...changes, version: version + 1, demo_batch_id: null })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The standards set on some jurisdictions for some years. */
export function standardRowsOf(
  db: Kysely<Database>,
  jurisdictionIds: string[],
  years: number[],
): Promise<FundingStandardsTable[]> {
  if (jurisdictionIds.length === 0 || years.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('funding_standards')
    .selectAll()
    .where('jurisdiction_id', 'in', jurisdictionIds)
    .where('year', 'in', years)
    .execute();
}

/** Set a jurisdiction's standard of a year (a person's standard is real: the demo mark goes). */
export async function upsertStandardRow(db: Kysely<Database>, row: FundingStandardsTable): Promise<void> {
  const done = await db
    .updateTable('funding_standards')
    .set({
      per_resident: row.per_resident,
      updated_by: row.updated_by,
      updated_at: row.updated_at,
      demo_batch_id: row.demo_batch_id ?? null,
    })
    .where('jurisdiction_id', '=', row.jurisdiction_id)
    .where('year', '=', row.year)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) await db.insertInto('funding_standards').values(row).execute();
}
