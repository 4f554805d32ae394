import type { UserListQuery } from '@kesu/shared';
import { jurisdictionsWithin } from '../../db/jurisdiction-scope';
import type { Kysely } from 'kysely';
import { containsPattern, ilike, toCount } from '../../db/dialect';
import type { Database, UsersTable } from '../../db/schema';

export type UserRow = UsersTable & {
  unit_name: string | null;
  jurisdiction_name: string | null;
  jurisdiction_path: string | null;
};

function withUnit(db: Kysely<Database>) {
  return db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('jurisdictions', 'jurisdictions.id', 'users.jurisdiction_id')
    .selectAll('users')
    .select([
      'units.name as unit_name',
      'jurisdictions.name as jurisdiction_name',
      'jurisdictions.path as jurisdiction_path',
    ]);
}

/** A page of accounts; `withinPath` keeps those of that jurisdiction subtree (null: every account). */
export async function listUserRows(
  db: Kysely<Database>,
  q: UserListQuery,
  withinPath: string | null,
): Promise<{ rows: UserRow[]; total: number }> {
  let base = db.selectFrom('users');
  if (withinPath !== null) {
    base = base.where('jurisdiction_id', 'in', jurisdictionsWithin(db, withinPath));
  }
  if (q.jurisdictionId) base = base.where('jurisdiction_id', '=', q.jurisdictionId);
  if (q.role) base = base.where('role', '=', q.role);
  if (q.unitId) base = base.where('unit_id', '=', q.unitId);
  if (q.q) {
    const p = containsPattern(q.q);
    base = base.where((eb) => eb.or([ilike(eb.ref('username'), p), ilike(eb.ref('display_name'), p)]));
  }
  const ids = base.select('users.id');
  const [rows, count] = await Promise.all([
    withUnit(db)
      .where('users.id', 'in', ids)
      .orderBy('users.created_at')
      .orderBy('users.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: toCount(count.n) };
}

export function findUserRow(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return withUnit(db).where('users.id', '=', id).executeTakeFirst();
}

export function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return withUnit(db).where('users.username', '=', username).executeTakeFirst();
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('users')
    .where('role', '=', 'admin')
    .where('is_active', '=', 1)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

export async function insertUserRow(db: Kysely<Database>, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

/** Version-guarded update; false when the row changed since it was read. */
export async function updateUserRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<UsersTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Counters that change on every sign-in attempt; not user edits, so no version bump. */
export async function setLoginState(
  db: Kysely<Database>,
  id: string,
  state: Pick<UsersTable, 'failed_attempts' | 'locked_until'> & Partial<Pick<UsersTable, 'last_login_at'>>,
): Promise<void> {
  await db.updateTable('users').set(state).where('id', '=', id).execute();
}
