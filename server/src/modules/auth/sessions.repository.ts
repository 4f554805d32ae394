import type { Kysely } from 'kysely';
import type { Database, LoginAttemptsTable, SessionsTable } from '../../db/schema';
import { toCount } from '../../db/dialect';

export async function insertSession(db: Kysely<Database>, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** A live session (not revoked, not expired) with its user. */
export function findLiveSession(db: Kysely<Database>, id: string, now: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.unit_id',
      'users.must_change_password',
      'users.is_active',
    ])
    .where('sessions.id', '=', id)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
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

export async function countIpFailuresSince(db: Kysely<Database>, ip: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('login_attempts')
    .where('ip', '=', ip)
    .where('is_success', '=', 0)
    .where('at', '>=', since)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}
