import {
  IdParamsSchema,
  OkSchema,
  ContactSchema,
  ContactUpdateSchema,
  OneTimePasswordSchema,
  UserCreateSchema,
  UserListQuerySchema,
  UserPageSchema,
  UserSchema,
  UserUpdateSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { configuredChannels } from '../notifications/notification-channels';
import {
  createUser,
  getMyContact,
  listUsers,
  resetPassword,
  revokeSessions,
  updateMyContact,
  updateUser,
} from './users.service';

export function usersRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users 用户'];
  const configured = configuredChannels(config);
  r.get(
    '/api/v1/users/me/contact',
    { schema: { tags, summary: '本人的手机、邮箱和通知渠道', response: { 200: ContactSchema } } },
    (req) => getMyContact(db.kysely, ctxOf(req), configured),
  );
  r.put(
    '/api/v1/users/me/contact',
    {
      schema: {
        tags,
        summary: '修改本人的手机、邮箱和通知渠道',
        body: ContactUpdateSchema,
        response: { 200: ContactSchema },
      },
    },
    (req) => updateMyContact(db.kysely, ctxOf(req), req.body, configured),
  );
  r.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: '用户列表',
        querystring: UserListQuerySchema,
        response: { 200: UserPageSchema },
      },
    },
    (req) => listUsers(db.kysely, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: '新增用户（返回一次性密码）',
        body: UserCreateSchema,
        response: { 201: OneTimePasswordSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await createUser(db.kysely, ctxOf(req), req.body)),
  );
  r.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags,
        summary: '修改用户',
        params: IdParamsSchema,
        body: UserUpdateSchema,
        response: { 200: UserSchema },
      },
    },
    (req) => updateUser(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/users/:id/reset-password',
    {
      schema: {
        tags,
        summary: '重置密码（返回一次性密码，解除锁定，注销全部会话）',
        params: IdParamsSchema,
        response: { 200: OneTimePasswordSchema },
      },
    },
    (req) => resetPassword(db.kysely, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/users/:id/revoke-sessions',
    { schema: { tags, summary: '注销该用户全部会话', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (req) => {
      await revokeSessions(db.kysely, ctxOf(req), req.params.id);
      return { ok: true as const };
    },
  );
}
