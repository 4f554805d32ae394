import { authenticate, authorize, type SignedInCtx } from '../../authorize';
import fs from 'node:fs';
import path from 'node:path';
import type {
  Contact,
  ContactUpdate,
  NotifyChannel,
  OneTimePassword,
  Page,
  Role,
  User,
  UserCreate,
  UserListQuery,
  UserUpdate,
} from '@kesu/shared';
import { NOTIFY_CHANNELS } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type Ctx, readsJurisdiction } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { clearLoginLocks, revokeUserSessions } from '../credentials/credentials.service';
import { generateOneTimePassword, hashPassword } from '../credentials/password';
import {
  parentJurisdictionId,
  requireJurisdictionPath,
  rootJurisdictionId,
} from '../jurisdictions/jurisdictions.service';
import { findUnitRow } from '../units/unit-reads.service';
import { canManageUserIn, canManageUsers } from './users.policy';
import {
  countActiveAdmins,
  countUsers,
  findUserByUsername,
  findUserRow,
  insertUserRow,
  listUserRows,
  type UserRow,
  updateUserRow,
} from './users.repository';

/** The stored comma list of channels, known names only. */
export function parseChannels(stored: string): NotifyChannel[] {
  return stored
    .split(',')
    .filter((c): c is NotifyChannel => (NOTIFY_CHANNELS as readonly string[]).includes(c));
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    unitId: row.unit_id,
    unitName: row.unit_name,
    jurisdictionId: row.jurisdiction_id,
    jurisdictionName: row.jurisdiction_name,
    isActive: row.is_active === 1,
    mustChangePassword: row.must_change_password === 1,
    lockedUntil: row.locked_until && row.locked_until > nowIso() ? row.locked_until : null,
    lastLoginAt: row.last_login_at,
    phone: row.phone,
    email: row.email,
    notifyChannels: parseChannels(row.notify_channels),
    version: row.version,
    createdAt: row.created_at,
  };
}

function requireManage(ctx: Ctx): asserts ctx is SignedInCtx {
  authorize(ctx, canManageUsers);
}

async function requireUser(db: Kysely<Database>, id: string): Promise<UserRow> {
  const row = await findUserRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '用户不存在');
  return row;
}

/**
 * An account the admin may manage: one of the jurisdiction it works in, or an admin of a direct child (a city admin
 * opens and looks after each county's admin; the county admin then manages its own accounts). Accounts outside the
 * admin's subtree are not found.
 */
async function requireManagedUser(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<UserRow> {
  const row = await requireUser(db, id);
  if (!readsJurisdiction(ctx.user, row.jurisdiction_path)) throw new AppError('NOT_FOUND', '用户不存在');
  await assertManagesIn(db, ctx, row.jurisdiction_id, row.role as Role);
  return row;
}

async function assertManagesIn(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  jurisdictionId: string | null,
  role: Role,
): Promise<void> {
  const parentId = jurisdictionId === null ? null : await parentJurisdictionId(db, jurisdictionId);
  if (!canManageUserIn(ctx.user, { jurisdictionId, parentId, role })) {
    throw new AppError('FORBIDDEN', '只能管理本级的账号，以及直属下级的管理员账号');
  }
}

/** A reporter must belong to one active unit of the account's jurisdiction; other roles to none. */
async function checkRoleUnit(
  db: Kysely<Database>,
  role: Role,
  unitId: string | null,
  jurisdictionId: string | null,
): Promise<void> {
  if (role !== 'reporter') {
    if (unitId !== null)
      throw new AppError('VALIDATION_FAILED', '只有填报单位用户绑定单位', { field: 'unitId' });
    return;
  }
  if (!unitId) throw new AppError('VALIDATION_FAILED', '填报单位用户必须绑定一个单位', { field: 'unitId' });
  const unit = await findUnitRow(db, unitId);
  if (unit?.is_active !== 1) {
    throw new AppError('VALIDATION_FAILED', '所选单位不存在或已停用', { field: 'unitId' });
  }
  if (jurisdictionId !== null && unit.jurisdiction_id !== null && unit.jurisdiction_id !== jurisdictionId) {
    throw new AppError('VALIDATION_FAILED', '所选单位不属于该账号所在的行政区划', { field: 'unitId' });
  }
}

export async function listUsers(db: Kysely<Database>, ctx: Ctx, q: UserListQuery): Promise<Page<User>> {
  requireManage(ctx);
  const { rows, total } = await listUserRows(db, q, ctx.user.jurisdictionPath);
  return { items: rows.map(toUser), total, page: q.page, pageSize: q.pageSize };
}

/** Insert an account with a fresh one-time password inside an open transaction (service, CLI and first start). */
export async function insertUser(
  trx: Kysely<Database>,
  ctx: Ctx,
  input: UserCreate,
): Promise<OneTimePassword> {
  const jurisdictionId = input.jurisdictionId ?? ctx.user?.jurisdictionId ?? (await rootJurisdictionId(trx));
  await checkRoleUnit(trx, input.role, input.unitId, jurisdictionId);
  const oneTimePassword = generateOneTimePassword();
  const now = nowIso();
  const id = newId();
  try {
    await insertUserRow(trx, {
      id,
      jurisdiction_id: jurisdictionId,
      username: input.username,
      display_name: input.displayName,
      password_hash: await hashPassword(oneTimePassword),
      role: input.role,
      unit_id: input.unitId,
      is_active: 1,
      must_change_password: 1,
      failed_attempts: 0,
      locked_until: null,
      last_login_at: null,
      phone: null,
      email: null,
      notify_channels: 'email,webhook',
      version: 1,
      created_at: now,
      updated_at: now,
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('DUPLICATE', `用户名“${input.username}”已存在`, { field: 'username' });
    }
    throw err;
  }
  const user = toUser(await requireUser(trx, id));
  await recordAudit(trx, ctx, { action: 'user.create', entityType: 'user', entityId: id, after: user });
  return { user, oneTimePassword };
}

export async function createUser(
  db: Kysely<Database>,
  ctx: Ctx,
  input: UserCreate,
): Promise<OneTimePassword> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    if (input.jurisdictionId) await requireJurisdictionPath(trx, input.jurisdictionId);
    await assertManagesIn(trx, ctx, input.jurisdictionId ?? ctx.user.jurisdictionId, input.role);
    return insertUser(trx, ctx, input);
  });
}

export async function updateUser(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: UserUpdate,
): Promise<User> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    const row = await requireManagedUser(trx, ctx, id);
    const before = toUser(row);
    const role = input.role ?? before.role;
    if (role !== before.role) await assertManagesIn(trx, ctx, row.jurisdiction_id, role);
    const unitId = input.unitId !== undefined ? input.unitId : role === 'reporter' ? before.unitId : null;
    const isActive = input.isActive ?? before.isActive;
    await checkRoleUnit(trx, role, unitId, row.jurisdiction_id);
    const losesAdmin = before.role === 'admin' && before.isActive && (role !== 'admin' || !isActive);
    if (losesAdmin && (await countActiveAdmins(trx)) <= 1) {
      throw new AppError('INVALID_STATE', '系统至少需要保留一名启用的管理员');
    }
    const now = nowIso();
    const ok = await updateUserRow(trx, id, input.version, {
      display_name: input.displayName ?? before.displayName,
      role,
      unit_id: unitId,
      is_active: isActive ? 1 : 0,
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      updated_at: now,
    });
    if (!ok) throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    // A changed role or unit, or a disabled account, must not keep the powers of its old sessions.
    if (role !== before.role || unitId !== before.unitId || !isActive) await revokeUserSessions(trx, id, now);
    const after = toUser(await requireUser(trx, id));
    await recordAudit(trx, ctx, { action: 'user.update', entityType: 'user', entityId: id, before, after });
    return after;
  });
}

/** Give a user a new one-time password: unlocks the account and signs it out everywhere. */
export async function resetPassword(db: Kysely<Database>, ctx: Ctx, id: string): Promise<OneTimePassword> {
  requireManage(ctx);
  return db
    .transaction()
    .execute(async (trx) => resetPasswordInTx(trx, ctx, await requireManagedUser(trx, ctx, id)));
}

async function resetPasswordInTx(trx: Kysely<Database>, ctx: Ctx, row: UserRow): Promise<OneTimePassword> {
  const oneTimePassword = generateOneTimePassword();
  const now = nowIso();
  const ok = await updateUserRow(trx, row.id, row.version, {
    password_hash: await hashPassword(oneTimePassword),
    must_change_password: 1,
    failed_attempts: 0,
    locked_until: null,
    updated_at: now,
  });
  if (!ok) throw new AppError('CONFLICT');
  await revokeUserSessions(trx, row.id, now);
  await clearLoginLocks(trx, row.username);
  const user = toUser(await requireUser(trx, row.id));
  await recordAudit(trx, ctx, { action: 'user.reset-password', entityType: 'user', entityId: row.id });
  return { user, oneTimePassword };
}

/** The `kesu user reset-password USERNAME` path: by name, from the command line. */
export async function resetPasswordByUsername(
  db: Kysely<Database>,
  ctx: Ctx,
  username: string,
): Promise<OneTimePassword> {
  return db.transaction().execute(async (trx) => {
    const row = await findUserByUsername(trx, username);
    if (!row) throw new AppError('NOT_FOUND', `用户“${username}”不存在`);
    return resetPasswordInTx(trx, ctx, row);
  });
}

export async function revokeSessions(db: Kysely<Database>, ctx: Ctx, id: string): Promise<number> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    await requireManagedUser(trx, ctx, id);
    const n = await revokeUserSessions(trx, id, nowIso());
    await recordAudit(trx, ctx, {
      action: 'user.revoke-sessions',
      entityType: 'user',
      entityId: id,
      after: { revoked: n },
    });
    return n;
  });
}

/**
 * On a database with no account, create the first admin with a random one-time password, written to
 * DATA_DIR/initial-admin.txt (mode 600). Returns the password, or null when accounts already exist.
 */
export async function bootstrapAdmin(
  db: Kysely<Database>,
  ctx: Ctx,
  dataDir: string,
): Promise<{ username: string; password: string; file: string } | null> {
  return db.transaction().execute(async (trx) => {
    if ((await countUsers(trx)) > 0) return null;
    const { oneTimePassword } = await insertUser(trx, ctx, {
      username: 'admin',
      displayName: '系统管理员',
      role: 'admin',
      jurisdictionId: null,
      unitId: null,
    });
    const file = path.join(dataDir, 'initial-admin.txt');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.rmSync(file, { force: true });
    fs.writeFileSync(
      file,
      `kesu 初始管理员 / initial admin\n用户名 username: admin\n一次性密码 one-time password: ${oneTimePassword}\n首次登录后须修改密码。Change it at first sign-in, then delete this file.\n`,
      { mode: 0o600 },
    );
    return { username: 'admin', password: oneTimePassword, file };
  });
}

/** The signed-in user's own contact details and channels; `configured` = channels the server has set up. */
export async function getMyContact(
  db: Kysely<Database>,
  ctx: Ctx,
  configured: NotifyChannel[],
): Promise<Contact> {
  authenticate(ctx);
  const row = await requireUser(db, ctx.user.id);
  return {
    phone: row.phone,
    email: row.email,
    notifyChannels: parseChannels(row.notify_channels),
    configuredChannels: configured,
  };
}

/** Anyone signed in may set their own phone, e-mail and channels (audited like any change). */
export async function updateMyContact(
  db: Kysely<Database>,
  ctx: Ctx,
  input: ContactUpdate,
  configured: NotifyChannel[],
): Promise<Contact> {
  authenticate(ctx);
  const id = ctx.user.id;
  await db.transaction().execute(async (trx) => {
    const row = await requireUser(trx, id);
    const changes = {
      phone: input.phone,
      email: input.email,
      notify_channels: [...new Set(input.notifyChannels)].join(','),
    };
    if (!(await updateUserRow(trx, id, row.version, { ...changes, updated_at: nowIso() })))
      throw new AppError('CONFLICT');
    await recordAudit(trx, ctx, {
      action: 'user.contact',
      entityType: 'user',
      entityId: id,
      before: { phone: row.phone, email: row.email, notify_channels: row.notify_channels },
      after: changes,
    });
  });
  return getMyContact(db, ctx, configured);
}
