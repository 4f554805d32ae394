import { ChangePasswordBodySchema, LoginBodySchema, MeSchema, OkSchema, SessionSchema } from '@kesu/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { ctxOf, SESSION_COOKIE } from '../../http/request';
import { AppError } from '../../errors';
import { changePassword, getMe, listMySessions, login, logout, revokeMySession } from './auth.service';

export function authRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth 登录'];
  const secure = (req: FastifyRequest) =>
    config.cookieSecure === 'auto' ? req.protocol === 'https' : config.cookieSecure;

  const requireSession = (req: FastifyRequest): string => {
    if (!req.user || !req.sessionId) throw new AppError('UNAUTHENTICATED');
    return req.sessionId;
  };
  const clearCookie = (req: FastifyRequest, reply: FastifyReply) =>
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secure(req) });

  r.post(
    '/api/v1/auth/login',
    { schema: { tags, summary: '登录', body: LoginBodySchema, response: { 200: MeSchema } } },
    async (req, reply) => {
      const { me, token } = await login(
        db.kysely,
        req.body,
        { ip: req.ip, userAgent: req.headers['user-agent'] ?? null, sessionTtlHours: config.sessionTtlHours },
        req.id,
      );
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secure(req),
        maxAge: config.sessionTtlHours * 3600,
      });
      return me;
    },
  );
  r.post(
    '/api/v1/auth/logout',
    { schema: { tags, summary: '退出登录', response: { 200: OkSchema } } },
    async (req, reply) => {
      if (req.sessionId) await logout(db.kysely, ctxOf(req), req.sessionId);
      clearCookie(req, reply);
      return { ok: true as const };
    },
  );
  r.get('/api/v1/auth/me', { schema: { tags, summary: '当前用户', response: { 200: MeSchema } } }, (req) =>
    getMe(db.kysely, ctxOf(req)),
  );
  r.post(
    '/api/v1/auth/password',
    {
      schema: { tags, summary: '修改本人密码', body: ChangePasswordBodySchema, response: { 200: MeSchema } },
    },
    (req) => changePassword(db.kysely, ctxOf(req), requireSession(req), req.body),
  );
  r.get(
    '/api/v1/auth/sessions',
    { schema: { tags, summary: '本人的登录会话', response: { 200: z.array(SessionSchema) } } },
    (req) => listMySessions(db.kysely, ctxOf(req), requireSession(req)),
  );
  r.delete(
    '/api/v1/auth/sessions/:id',
    {
      schema: {
        tags,
        summary: '注销本人的某个会话',
        params: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, '无效的会话编号') }),
        response: { 200: OkSchema },
      },
    },
    async (req) => {
      await revokeMySession(db.kysely, ctxOf(req), req.params.id);
      return { ok: true as const };
    },
  );
}
