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
import type { AuthUser, Ctx } from '../../context';
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
} from '../users/users.repository';
import { dummyVerify, hashPassword, verifyPassword } from './password';
import {
  countIpFailuresSince,
  findLiveSession,
  insertLoginAttempt,
  insertSession,
  listLiveSessions,
  revokeSessionRow,
  revokeUserSessions,
  touchSession,
} from './sessions.repository';

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
    mustChangePassword: row.must_change_password === 1,
  };
}

const minutesAgo = (m: number, now: Date) => new Date(now.getTime() - m * 60_000).toISOString();

/**
 * Sign in. Failures are counted per account (lock after LIMITS.loginFailuresBeforeLock) and per client IP (refuse
 * after LIMITS.loginFailuresPerIp within the window). The counters are written before the error is thrown, so they
 * persist although the sign-in fails.
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
  const ipFailures = await countIpFailuresSince(db, meta.ip, minutesAgo(LIMITS.loginWindowMinutes, now));
  if (ipFailures >= LIMITS.loginFailuresPerIp) throw new AppError('TOO_MANY_ATTEMPTS');

  const row = await findUserByUsername(db, body.username);
  const attempt = (ok: boolean) =>
    insertLoginAttempt(db, { id: newId(), at, ip: meta.ip, username: body.username, is_success: ok ? 1 : 0 });

  if (!row) {
    await dummyVerify(body.password);
    await attempt(false);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (row.locked_until && row.locked_until > at) {
    await attempt(false);
    throw new AppError('ACCOUNT_LOCKED', undefined, { lockedUntil: row.locked_until });
  }
  if (!(await verifyPassword(row.password_hash, body.password))) {
    const failures = row.failed_attempts + 1;
    const lock = failures >= LIMITS.loginFailuresBeforeLock;
    const lockedUntil = lock ? new Date(now.getTime() + LIMITS.lockMinutes * 60_000).toISOString() : null;
    await db.transaction().execute(async (trx) => {
      await insertLoginAttempt(trx, {
        id: newId(),
        at,
        ip: meta.ip,
        username: body.username,
        is_success: 0,
      });
      await setLoginState(trx, row.id, { failed_attempts: lock ? 0 : failures, locked_until: lockedUntil });
      if (lock) {
        await recordAudit(trx, ctxBase, {
          action: 'user.lock',
          entityType: 'user',
          entityId: row.id,
          after: { lockedUntil, reason: '连续登录失败' },
        });
      }
    });
    if (lock) throw new AppError('ACCOUNT_LOCKED', undefined, { lockedUntil });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (row.is_active !== 1) {
    await attempt(false);
    throw new AppError('ACCOUNT_DISABLED');
  }

  const token = randomToken();
  const me = toMe(row);
  await db.transaction().execute(async (trx) => {
    await insertLoginAttempt(trx, { id: newId(), at, ip: meta.ip, username: body.username, is_success: 1 });
    await setLoginState(trx, row.id, { failed_attempts: 0, locked_until: null, last_login_at: at });
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
      { ...ctxBase, user: authUserOf(me) },
      {
        action: 'auth.login',
        entityType: 'user',
        entityId: row.id,
      },
    );
  });
  return { me, token };
}

function authUserOf(me: Me): AuthUser {
  return {
    id: me.id,
    username: me.username,
    displayName: me.displayName,
    role: me.role,
    unitId: me.unitId,
    mustChangePassword: me.mustChangePassword,
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
  return {
    sessionId: id,
    user: {
      id: s.id,
      username: s.username,
      displayName: s.display_name,
      role: s.role as Role,
      unitId: s.unit_id,
      mustChangePassword: s.must_change_password === 1,
    },
  };
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
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
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
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
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
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
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
