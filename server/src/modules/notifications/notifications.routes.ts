import {
  MarkReadResultSchema,
  MarkReadSchema,
  NotificationListQuerySchema,
  NotificationPageSchema,
  UnreadCountSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { listNotifications, markNotificationsRead, unreadCount } from './notifications.service';

export function notificationsRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications 站内通知'];
  r.get(
    '/api/v1/notifications',
    {
      schema: {
        tags,
        summary: '我的通知（本人及本单位）',
        querystring: NotificationListQuerySchema,
        response: { 200: NotificationPageSchema },
      },
    },
    (req) => listNotifications(db.kysely, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/notifications/unread-count',
    { schema: { tags, summary: '未读通知数', response: { 200: UnreadCountSchema } } },
    (req) => unreadCount(db.kysely, ctxOf(req)),
  );
  r.post(
    '/api/v1/notifications/read',
    {
      schema: {
        tags,
        summary: '标为已读（指定 ids 或 all）',
        body: MarkReadSchema,
        response: { 200: MarkReadResultSchema },
      },
    },
    (req) => markNotificationsRead(db.kysely, ctxOf(req), req.body),
  );
}
