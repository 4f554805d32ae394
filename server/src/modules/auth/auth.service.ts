import { authenticate as requireSignedIn } from '../../authorize';
import { createHash } from 'node:crypto';
import {
  type ChangePasswordBody,
  LIMITS,
  type LoginBody,
  type Me,
  type Role,
  type Session,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type AuthUser, type Ctx, isAtRoot } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso, randomToken } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import {
  findUserByUsername,
  findUserRow,
  setLoginState,
  updateUserRow,
  type UserRow,
} from '../users/user-reads.service';
import { dummyVerify, hashPassword, verifyPassword } from '../credentials/password';
import {
  bumpLoginCounter,
  deleteLoginKey,
  findLiveSession,
  findUserAsSignedIn,
  insertLoginAttempt,
  insertSession,
  listLiveSessions,
  lockLoginKey,
  readLoginKey,
  revokeSessionRow,
  revokeUserSessions,
  touchSession,
  unbumpLoginCounter,
} from '../credentials/credentials.service';

/** The cookie holds a random token; the database holds only its hash, so a leaked table opens no session. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ClientMeta {
  ip: string;
  userAgent: string | null;
  sessionTtlHours: number;
}

export function toMe(row: UserRow): Me {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    unitId: row.unit_id,
    unitName: row.unit_name,
    jurisdictionId: row.jurisdiction_id,
    jurisdictionName: row.jurisdiction_name,
    atRoot: isAtRoot(authUserOf(row)),
    mustChangePassword: row.must_change_password === 1,
  };
}

const minutesAgo = (m: number, now: Date) => new Date(now.getTime() - m * 60_000).toISOString();

/** Longest lock after repeated locks (back-off doubles from LIMITS.lockMinutes up to this). */
const LOCK_MAX_MINUTES = 24 * 60;

/** Ends of the next lock by the number of earlier locks: 15 min, 30, 60 … up to a day. */
function lockEnds(now: Date): string[] {
  const out: string[] = [];
  for (let k = 0; ; k++) {
    const minutes = Math.min(LIMITS.lockMinutes * 2 ** k, LOCK_MAX_MINUTES);
    out.push(new Date(now.getTime() + minutes * 60_000).toISOString());
    if (minutes === LOCK_MAX_MINUTES) return out;
  }
}

/** The throttle keys of an attempt: the client address, and the (account, address) pair. */
export function loginKeys(username: string, ip: string): { ip: string; account: string } {
  return { ip: `ip:${ip}`, account: `acct:${username.trim().toLowerCase()}|${ip}` };
}

/**
 * Sign in. Every attempt is counted before the password is checked, atomically (one upsert … RETURNING per key),
 * so parallel attempts cannot slip past a read-then-write check:
 * - per client address: over LIMITS.loginFailuresPerIp within the window → TOO_MANY_ATTEMPTS;
 * - per (account, address): the LIMITS.loginFailuresBeforeLock-th failure locks that pair for LIMITS.lockMinutes,
 *   doubling with each further lock (back-off). Another address can still sign in to the account, so five requests
 *   no longer lock `admin` out for everyone.
 * Unknown, existing and disabled accounts answer alike (wrong password and right password of a disabled account:
 * INVALID_CREDENTIALS; then ACCOUNT_LOCKED), so the answers tell nothing about which accounts exist.
 */
export async function login(
  db: Kysely<Database>,
  body: LoginBody,
  meta: ClientMeta,
  requestId: string | null,
): Promise<{ me: Me; token: string }> {
  const now = new Date();
  const at = now.toISOString();
  const ctxBase: Ctx = { user: null, requestId, ip: meta.ip };
  const keys = loginKeys(body.username, meta.ip);
  const attempt = (ok: boolean) =>
    insertLoginAttempt(db, { id: newId(), at, ip: meta.ip, username: body.username, is_success: ok ? 1 : 0 });

  const ipCount = await bumpLoginCounter(db, keys.ip, at, minutesAgo(LIMITS.loginWindowMinutes, now));
  if (ipCount.failures > LIMITS.loginFailuresPerIp) throw new AppError('TOO_MANY_ATTEMPTS');
  const acct = await bumpLoginCounter(db, keys.account, at, minutesAgo(LIMITS.lockMinutes, now));
  if (acct.locked_until && acct.locked_until > at) {
    throw new AppError('ACCOUNT_LOCKED', undefined, { lockedUntil: acct.locked_until });
  }
  // Attempts past the limit that ran alongside the one that locked: refused unchecked.
  if (acct.failures > LIMITS.loginFailuresBeforeLock) {
    const lockedUntil =
      (await lockLoginKey(db, keys.account, lockEnds(now), LIMITS.loginFailuresBeforeLock)) ??
      (await readLoginKey(db, keys.account))?.locked_until ??
      null;
    throw new AppError('ACCOUNT_LOCKED', undefined, { lockedUntil });
  }

  const row = await findUserByUsername(db, body.username);
  const passwordOk = row
    ? await verifyPassword(row.password_hash, body.password)
    : await dummyVerify(body.password);
  if (!row || !passwordOk || row.is_active !== 1) {
    await attempt(false);
    if (acct.failures >= LIMITS.loginFailuresBeforeLock) {
      const lockedUntil = await lockLoginKey(db, keys.account, lockEnds(now), LIMITS.loginFailuresBeforeLock);
      if (lockedUntil) {
        await db.transaction().execute((trx) =>
          recordAudit(trx, ctxBase, {
            action: 'user.lock',
            entityType: 'user',
            entityId: row?.id ?? null,
            after: { username: body.username, lockedUntil, reason: '连续登录失败（按账号与地址）' },
          }),
        );
      }
      throw new AppError('ACCOUNT_LOCKED', undefined, {
        lockedUntil: lockedUntil ?? (await readLoginKey(db, keys.account))?.locked_until ?? null,
      });
    }
    throw new AppError('INVALID_CREDENTIALS');
  }

  const token = randomToken();
  const me = toMe(row);
  await db.transaction().execute(async (trx) => {
    await insertLoginAttempt(trx, { id: newId(), at, ip: meta.ip, username: body.username, is_success: 1 });
    await setLoginState(trx, row.id, { failed_attempts: 0, locked_until: null, last_login_at: at });
    await deleteLoginKey(trx, keys.account);
    await unbumpLoginCounter(trx, keys.ip);
    await insertSession(trx, {
      id: sessionIdOf(token),
      user_id: row.id,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(now.getTime() + meta.sessionTtlHours * 3_600_000).toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      revoked_at: null,
    });
    await recordAudit(
      trx,
      { ...ctxBase, user: authUserOf(row) },
      {
        action: 'auth.login',
        entityType: 'user',
        entityId: row.id,
      },
    );
  });
  return { me, token };
}

/**
 * A user row as services see the user; with `unit_is_active` (a session's or a job's read) a deactivated unit's user
 * is marked `unitInactive`.
 */
function authUserOf(
  row: Pick<
    UserRow,
    | 'id'
    | 'username'
    | 'display_name'
    | 'unit_id'
    | 'must_change_password'
    | 'jurisdiction_id'
    | 'jurisdiction_path'
  > & { role: string; unit_is_active?: number | null },
): AuthUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    unitId: row.unit_id,
    mustChangePassword: row.must_change_password === 1,
    jurisdictionId: row.jurisdiction_id,
    jurisdictionPath: row.jurisdiction_path,
    ...(row.unit_is_active !== undefined && row.unit_id !== null && row.unit_is_active !== 1
      ? { unitInactive: true }
      : {}),
  };
}

/** How stale last_seen_at may get before a request refreshes it (keeps reads from writing on every request). */
const TOUCH_AFTER_MS = 60_000;

/** The user behind a session token, or null when the token is unknown, revoked, expired or the user disabled. */
export async function authenticate(
  db: Kysely<Database>,
  token: string,
): Promise<{ user: AuthUser; sessionId: string } | null> {
  const now = new Date();
  const id = sessionIdOf(token);
  const s = await findLiveSession(db, id, now.toISOString());
  if (s?.is_active !== 1) return null;
  if (now.getTime() - Date.parse(s.last_seen_at) > TOUCH_AFTER_MS)
    await touchSession(db, id, now.toISOString());
  return { sessionId: id, user: authUserOf(s) };
}

/**
 * The user as they are now (role, unit, jurisdiction), or null once disabled: work done later on a user's behalf (a
 * background job) acts with what the user may do when it runs, not with what they could when they asked.
 */
export async function currentUser(db: Kysely<Database>, userId: string): Promise<AuthUser | null> {
  const s = await findUserAsSignedIn(db, userId);
  return s?.is_active === 1 ? authUserOf(s) : null;
}

export async function logout(db: Kysely<Database>, ctx: Ctx, sessionId: string): Promise<void> {
  if (!ctx.user) return;
  const userId = ctx.user.id;
  await db.transaction().execute(async (trx) => {
    await revokeSessionRow(trx, sessionId, userId, nowIso());
    await recordAudit(trx, ctx, { action: 'auth.logout', entityType: 'user', entityId: userId });
  });
}

export async function getMe(db: Kysely<Database>, ctx: Ctx): Promise<Me> {
  requireSignedIn(ctx);
  const row = await findUserRow(db, ctx.user.id);
  if (!row) throw new AppError('UNAUTHENTICATED');
  return toMe(row);
}

/** Change one's own password; every other session of the user is revoked. */
export async function changePassword(
  db: Kysely<Database>,
  ctx: Ctx,
  sessionId: string,
  body: ChangePasswordBody,
): Promise<Me> {
  requireSignedIn(ctx);
  const row = await findUserRow(db, ctx.user.id);
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(row.password_hash, body.currentPassword))) {
    throw new AppError('INVALID_CREDENTIALS', '当前密码不正确', { field: 'currentPassword' });
  }
  if (body.currentPassword === body.newPassword) {
    throw new AppError('WEAK_PASSWORD', '新密码不能与当前密码相同', { field: 'newPassword' });
  }
  if (body.newPassword.toLowerCase().includes(row.username.toLowerCase())) {
    throw new AppError('WEAK_PASSWORD', '新密码不能包含用户名', { field: 'newPassword' });
  }
  const hash = await hashPassword(body.newPassword);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const ok = await updateUserRow(trx, row.id, row.version, {
      password_hash: hash,
      must_change_password: 0,
      updated_at: now,
    });
    if (!ok) throw new AppError('CONFLICT');
    const revoked = await revokeUserSessions(trx, row.id, now, sessionId);
    await recordAudit(trx, ctx, {
      action: 'user.change-password',
      entityType: 'user',
      entityId: row.id,
      after: { mustChangePassword: false, otherSessionsRevoked: revoked },
    });
  });
  return getMe(db, ctx);
}

export async function listMySessions(db: Kysely<Database>, ctx: Ctx, currentId: string): Promise<Session[]> {
  requireSignedIn(ctx);
  const rows = await listLiveSessions(db, ctx.user.id, nowIso());
  // The public id of a session is a prefix of its hash: enough to name it, useless as a credential.
  return rows.map((r) => ({
    id: r.id.slice(0, 16),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
    isCurrent: r.id === currentId,
  }));
}

export async function revokeMySession(db: Kysely<Database>, ctx: Ctx, publicId: string): Promise<void> {
  const user = ctx.user;
  if (!user) throw new AppError('UNAUTHENTICATED');
  const rows = await listLiveSessions(db, user.id, nowIso());
  const target = rows.find((r) => r.id.slice(0, 16) === publicId);
  if (!target) throw new AppError('NOT_FOUND', '会话不存在或已失效');
  await db.transaction().execute(async (trx) => {
    await revokeSessionRow(trx, target.id, user.id, nowIso());
    await recordAudit(trx, ctx, { action: 'session.revoke', entityType: 'user', entityId: user.id });
  });
}
