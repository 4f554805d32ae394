import type { FastifyRequest } from 'fastify';
import type { AuthUser, Ctx } from '../context';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the session hook; null when not signed in. */
    user: AuthUser | null;
    /** The hashed id of the session that authenticated this request. */
    sessionId: string | null;
  }
}

/** The service-side context of a request. */
export function ctxOf(req: FastifyRequest): Ctx {
  return { user: req.user, requestId: req.id, ip: req.ip };
}

export const SESSION_COOKIE = 'kesu_session';
