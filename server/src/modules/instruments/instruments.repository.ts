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

/**
 * Claim one of `max` slots of `addressHash` for an attempt at `now` that leaves the window at now + windowMs; false
 * when every slot holds an attempt still in its window. A slot is claimed by a conditional upsert (insert, or take
 * over an expired slot: ON CONFLICT … DO UPDATE … WHERE expires_at ≤ now … RETURNING), atomic on both engines, so
 * two nodes never claim one slot and at most `max` attempts fall in any window. Each slot holds the latest attempt
 * that claimed it; a later attempt takes it only after that one left the window.
 */
export async function claimSelfTestSlot(
  db: Kysely<Database>,
  addressHash: string,
  max: number,
  now: Date,
  windowMs: number,
): Promise<boolean> {
  const at = now.toISOString();
  const end = new Date(now.getTime() + windowMs).toISOString();
  // One read names the free slots (missing or expired); one upsert per slot tried, usually the first.
  const held = await db
    .selectFrom('self_test_attempts')
    .select('slot')
    .where('address_hash', '=', addressHash)
    .where('expires_at', '>', at)
    .execute();
  const busy = new Set(held.map((r) => r.slot));
  for (let slot = 0; slot < max; slot++) {
    if (busy.has(slot)) continue;
    const claimed = await db
      .insertInto('self_test_attempts')
      .values({ address_hash: addressHash, slot, expires_at: end })
      .onConflict((oc) =>
        oc
          .columns(['address_hash', 'slot'])
          .doUpdateSet({ expires_at: end })
          .where('self_test_attempts.expires_at', '<=', at),
      )
      .returning('slot')
      .executeTakeFirst();
    // Nothing returned: another request claimed this slot since the read; try the next free one.
    if (claimed) return true;
  }
  return false;
}

/** Delete the attempts that left their window; returns how many. */
export async function deleteEndedSelfTestAttempts(db: Kysely<Database>, now: Date): Promise<number> {
  const r = await db
    .deleteFrom('self_test_attempts')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
