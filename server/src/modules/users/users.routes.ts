import {
  IdParamsSchema,
  OkSchema,
  OneTimePasswordSchema,
  UserCreateSchema,
  UserListQuerySchema,
  UserPageSchema,
  UserSchema,
  UserUpdateSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../http/deps';
import { ctxOf } from '../../http/request';
import { createUser, listUsers, resetPassword, revokeSessions, updateUser } from './users.service';

export function usersRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users 用户'];
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
