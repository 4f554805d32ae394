import type { InAppNotification, NotificationListQuery, Page } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database, NotificationsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import type { Notifier, OutboundNotification } from './notification-channels';
import { notificationScope } from './notifications.policy';
import {
  activeAdminIds,
  countUnread,
  listNotificationRows,
  markRead,
  type Scope,
} from './notifications.repository';

export function toNotification(row: NotificationsTable): InAppNotification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: row.read_at,
    createdAt: row.created_at,
  };
}

function requireScope(ctx: Ctx): Scope {
  const scope = notificationScope(ctx.user);
  if (!scope) throw new AppError('UNAUTHENTICATED');
  return scope;
}

export async function listNotifications(
  db: Kysely<Database>,
  ctx: Ctx,
  q: NotificationListQuery,
): Promise<Page<InAppNotification>> {
  const scope = requireScope(ctx);
  const unread = q.unread === undefined ? undefined : q.unread === 'true';
  const { rows, total } = await listNotificationRows(db, scope, {
    unread,
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: rows.map(toNotification), total, page: q.page, pageSize: q.pageSize };
}

export async function unreadCount(db: Kysely<Database>, ctx: Ctx): Promise<{ count: number }> {
  return { count: await countUnread(db, requireScope(ctx)) };
}

/** Reading a notification is not audited: it changes nothing but the reader's own badge. */
export async function markNotificationsRead(
  db: Kysely<Database>,
  ctx: Ctx,
  body: { ids?: string[] | undefined; all?: boolean | undefined },
): Promise<{ updated: number }> {
  const scope = requireScope(ctx);
  const updated = await markRead(db, scope, body.all ? 'all' : (body.ids ?? []), nowIso());
  return { updated };
}

/** Who a notification goes to: one unit (all its reporters see it), each active admin, or given users. */
/** A unit's users, the admins (of one jurisdiction when named, else all), or named users. */
export type Audience = { unitId: string } | { admins: true; jurisdictionId?: string } | { userIds: string[] };

export interface NotificationDraft {
  kind: string;
  title: string;
  body: string;
  link: string | null;
}

/**
 * Create notifications inside the caller's transaction (so they exist exactly when the change does) and return
 * them; the caller passes the result to `notifier.afterCommit` once the transaction has committed.
 */
export async function notifyInTransaction(
  trx: Kysely<Database>,
  notifier: Notifier,
  audience: Audience,
  draft: NotificationDraft,
): Promise<OutboundNotification[]> {
  const createdAt = nowIso();
  let recipients: { userId: string | null; unitId: string | null }[];
  if ('unitId' in audience) recipients = [{ userId: null, unitId: audience.unitId }];
  else if ('admins' in audience)
    recipients = (await activeAdminIds(trx, audience.jurisdictionId)).map((userId) => ({
      userId,
      unitId: null,
    }));
  else recipients = audience.userIds.map((userId) => ({ userId, unitId: null }));
  const items = recipients.map((recipient) => ({ id: newId(), recipient, ...draft, createdAt }));
  await notifier.record(trx, items);
  return items;
}
