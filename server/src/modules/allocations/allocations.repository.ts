import type { Kysely } from 'kysely';
import type { AllocationsTable, Database } from '../../db/schema';

export function allocationRowsOf(db: Kysely<Database>, indicatorId: string): Promise<AllocationsTable[]> {
  return db.selectFrom('allocations').selectAll().where('indicator_id', '=', indicatorId).execute();
}

export async function insertAllocationRow(db: Kysely<Database>, row: AllocationsTable): Promise<void> {
  await db.insertInto('allocations').values(row).execute();
}

export async function updateAllocationRow(
  db: Kysely<Database>,
  id: string,
  changes: Partial<AllocationsTable>,
): Promise<void> {
  await db.updateTable('allocations').set(changes).where('id', '=', id).execute();
}

export async function deleteAllocationRows(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('allocations').where('id', 'in', ids).execute();
}
