import { type Kysely, sql } from 'kysely';
import type { Database, LoginAttemptsTable, SessionsTable } from '../../db/schema';

export async function insertSession(db: Kysely<Database>, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** What a signed-in user is made of: the user, its unit's state and its jurisdiction's path. */
const USER_AS_SIGNED_IN = [
  'units.is_active as unit_is_active',
  'users.jurisdiction_id',
  'jurisdictions.path as jurisdiction_path',
  'users.id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.unit_id',
  'users.must_change_password',
  'users.is_active',
] as const;

/** A live session (not revoked, not expired) with its user. */
export function findLiveSession(db: Kysely<Database>, id: string, now: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('jurisdictions', 'jurisdictions.id', 'users.jurisdiction_id')
    .select([...USER_AS_SIGNED_IN, 'sessions.id as session_id', 'sessions.last_seen_at'])
    .where('sessions.id', '=', id)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

/** A user as a session would see them now, by id (work done later on their behalf reads them again). */
export function findUserAsSignedIn(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('jurisdictions', 'jurisdictions.id', 'users.jurisdiction_id')
    .select([...USER_AS_SIGNED_IN])
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export function listLiveSessions(
  db: Kysely<Database>,
  userId: string,
  now: string,
): Promise<SessionsTable[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeSessionRow(
  db: Kysely<Database>,
  id: string,
  userId: string,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Revoke every live session of a user except, optionally, one; returns how many were revoked. */
export async function revokeUserSessions(
  db: Kysely<Database>,
  userId: string,
  now: string,
  exceptId?: string,
): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function insertLoginAttempt(db: Kysely<Database>, row: LoginAttemptsTable): Promise<void> {
  await db.insertInto('login_attempts').values(row).execute();
}

/**
 * Count one attempt under `key`, atomically: a single INSERT … ON CONFLICT DO UPDATE … RETURNING (SQLite and
 * PostgreSQL alike), restarting the count when its window began before `windowFrom`. Returns the row after.
 */
export function bumpLoginCounter(db: Kysely<Database>, key: string, now: string, windowFrom: string) {
  return db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_start: now, locked_until: null, strikes: 0 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_throttle.window_start < ${windowFrom} then 1 else login_throttle.failures + 1 end`,
        window_start: sql<string>`case when login_throttle.window_start < ${windowFrom} then ${now} else login_throttle.window_start end`,
      }),
    )
    .returning(['failures', 'locked_until', 'strikes'])
    .executeTakeFirstOrThrow();
}

/**
 * Lock `key` unless a concurrent attempt already did: one conditional UPDATE … RETURNING, so only the request whose
 * count reached `minFailures` first changes the row. `untilByStrikes[k]` is the end of the lock after k earlier
 * locks (back-off); the last entry serves beyond. Returns the new lock, or null when nothing changed.
 */
export async function lockLoginKey(
  db: Kysely<Database>,
  key: string,
  untilByStrikes: string[],
  minFailures: number,
): Promise<string | null> {
  const last = untilByStrikes[untilByStrikes.length - 1] ?? '';
  const until = sql<string>`case ${sql.join(
    untilByStrikes.slice(0, -1).map((u, k) => sql`when strikes = ${k} then ${u}`),
    sql` `,
  )} else ${last} end`;
  const row = await db
    .updateTable('login_throttle')
    .set({ locked_until: until, strikes: sql<number>`strikes + 1`, failures: 0 })
    .where('key', '=', key)
    .where('failures', '>=', minFailures)
    .returning(['locked_until'])
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

export async function readLoginKey(db: Kysely<Database>, key: string) {
  return db.selectFrom('login_throttle').select(['locked_until']).where('key', '=', key).executeTakeFirst();
}

/** Take back one counted attempt (a successful sign-in is not a failure). */
export async function unbumpLoginCounter(db: Kysely<Database>, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
    .where('key', '=', key)
    .execute();
}

export async function deleteLoginKey(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Every (account, address) lock of an account (`prefix` is 'acct:<username>|'). */
export async function deleteLoginKeysFrom(db: Kysely<Database>, prefix: string): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix)
    .execute();
}
