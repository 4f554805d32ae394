import type { Kysely } from 'kysely';
import { toCount } from '../../db/dialect';
import type { Database, NotificationsTable } from '../../db/schema';

export interface Scope {
  userId: string;
  unitId: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: a where-builder shared by select and update queries on notifications
function inScope(eb: any, scope: Scope) {
  return scope.unitId
    ? eb.or([eb('recipient_user_id', '=', scope.userId), eb('recipient_unit_id', '=', scope.unitId)])
    : eb('recipient_user_id', '=', scope.userId);
}

export async function listNotificationRows(
  db: Kysely<Database>,
  scope: Scope,
  q: { unread?: boolean; page: number; pageSize: number },
): Promise<{ rows: NotificationsTable[]; total: number }> {
  let base = db.selectFrom('notifications').where((eb) => inScope(eb, scope));
  if (q.unread === true) base = base.where('read_at', 'is', null);
  if (q.unread === false) base = base.where('read_at', 'is not', null);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: toCount(count.n) };
}

export async function countUnread(db: Kysely<Database>, scope: Scope): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => inScope(eb, scope))
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

/** Mark read what the scope may see (ids outside it are silently not touched); returns how many changed. */
export async function markRead(
  db: Kysely<Database>,
  scope: Scope,
  ids: string[] | 'all',
  at: string,
): Promise<number> {
  let q = db
    .updateTable('notifications')
    .set({ read_at: at })
    .where((eb) => inScope(eb, scope))
    .where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Active admins: who hears about what units do. */
export async function activeAdminIds(db: Kysely<Database>, jurisdictionId?: string): Promise<string[]> {
  let q = db.selectFrom('users').select('id').where('role', '=', 'admin').where('is_active', '=', 1);
  if (jurisdictionId !== undefined) q = q.where('jurisdiction_id', '=', jurisdictionId);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Write notifications (the in-app channel, in the caller's transaction). */
export async function insertNotificationRows(
  db: Kysely<Database>,
  rows: NotificationsTable[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('notifications').values(rows).execute();
}

/** Active users to reach: the given users, and every active reporter of the given units. */
export function contactRows(db: Kysely<Database>, userIds: string[], unitIds: string[]) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'username', 'unit_id', 'role', 'email', 'phone', 'notify_channels'])
    .where('is_active', '=', 1)
    .where((eb) =>
      eb.or([
        ...(userIds.length ? [eb('id', 'in', userIds)] : []),
        ...(unitIds.length ? [eb.and([eb('unit_id', 'in', unitIds), eb('role', '=', 'reporter')])] : []),
      ]),
    )
    .execute();
}
