import type { Kysely } from 'kysely';
import { toCount } from '../../db/dialect';
import type { Database, InstrumentsTable, SelfTestResultsTable } from '../../db/schema';

export function listInstrumentRows(db: Kysely<Database>): Promise<InstrumentsTable[]> {
  return db.selectFrom('instruments').selectAll().orderBy('purpose').orderBy('code').execute();
}

export function findInstrumentRow(db: Kysely<Database>, id: string): Promise<InstrumentsTable | undefined> {
  return db.selectFrom('instruments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The self-test bank in use: the active bank changed most recently. */
export function findActiveBankRow(db: Kysely<Database>): Promise<InstrumentsTable | undefined> {
  return db
    .selectFrom('instruments')
    .selectAll()
    .where('purpose', '=', 'self_test_bank')
    .where('is_active', '=', 1)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function countInstruments(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('instruments')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

export async function insertInstrumentRow(db: Kysely<Database>, row: InstrumentsTable): Promise<void> {
  await db.insertInto('instruments').values(row).execute();
}

/** Update guarded by the version read; false when someone else changed the row first. */
export async function updateInstrumentRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<InstrumentsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('instruments')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertSelfTestResultRow(
  db: Kysely<Database>,
  row: SelfTestResultsTable,
): Promise<void> {
  await db.insertInto('self_test_results').values(row).execute();
}

/** Counts of self-test results per instrument (pass = is_pass). */
export async function selfTestCounts(
  db: Kysely<Database>,
): Promise<{ instrumentId: string; total: number; passed: number }[]> {
  const rows = await db
    .selectFrom('self_test_results')
    .select((eb) => ['instrument_id', eb.fn.countAll().as('n'), eb.fn.sum<number>('is_pass').as('passed')])
    .groupBy('instrument_id')
    .execute();
  return rows.map((r) => ({ instrumentId: r.instrument_id, total: toCount(r.n), passed: toCount(r.passed) }));
}
