import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import type { AuthUser } from '../context';
import { SESSION_COOKIE } from './request';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes a user who must change the password may still call. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set([
  '/api/v1/auth/me',
  '/api/v1/auth/password',
  '/api/v1/auth/logout',
  '/api/v1/auth/login',
]);

/** scheme://host[:port] with the default port dropped, or null when unparsable. */
function normalizeOrigin(value: string): string | null {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

function originOf(req: FastifyRequest): string | null {
  const origin = req.headers.origin;
  if (origin) return normalizeOrigin(origin);
  const referer = req.headers.referer;
  return referer ? normalizeOrigin(referer) : null;
}

/**
 * CSRF defence for every state-changing request: the Origin (or, failing it, the Referer) must be this site —
 * the host the request was sent to — or one of the configured trusted origins. A request with neither header is
 * refused. The session cookie is also SameSite=Lax, so cross-site form posts carry no session in the first place.
 */
export function registerCsrfCheck(app: FastifyInstance, trustedOrigins: string[]): void {
  const trusted = new Set(trustedOrigins.map(normalizeOrigin).filter((o): o is string => o !== null));
  app.addHook('onRequest', async (req) => {
    if (SAFE_METHODS.has(req.method) || !req.url.startsWith('/api/')) return;
    const origin = originOf(req);
    if (!origin) throw new AppError('CSRF_REJECTED', '请求缺少来源信息（Origin），已拒绝');
    const self = normalizeOrigin(`${req.protocol}://${req.host}`);
    if (origin !== self && !trusted.has(origin)) throw new AppError('CSRF_REJECTED');
  });
}

/** What a session token resolves to (the auth module answers; app.ts wires it in, http never imports a module). */
export type SessionResolver = (token: string) => Promise<{ user: AuthUser; sessionId: string } | null>;

/** Resolve the session cookie to a user on every API request, and hold back users who must change the password. */
export function registerSessionAuth(app: FastifyInstance, resolveSession: SessionResolver): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const auth = await resolveSession(token);
    if (!auth) return;
    req.user = auth.user;
    req.sessionId = auth.sessionId;
    const path = req.url.split('?')[0] ?? '';
    // Public pages answer anyone, so they also answer a user who has yet to change the password.
    const isPublic = path.startsWith('/api/v1/public/');
    if (auth.user.mustChangePassword && !isPublic && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(path)) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
  });
}

/** Headers every response carries. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    if (!req.url.startsWith('/api/docs')) {
      reply.header(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
      );
    }
  });
}

/** True when any string (or key) in a parsed JSON value, query or params holds a NUL character. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000') || holdsNul(v, depth + 1)) return true;
  }
  return false;
}

/**
 * No text with a NUL character gets in: PostgreSQL cannot store it in text (it answered 500) and SQLite would store it
 * silently. Checked once for every route, on the parsed body, the query and the path parameters, before validation.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (holdsNul(req.params) || holdsNul(req.query) || holdsNul(req.body)) {
      throw new AppError(
        'BAD_REQUEST',
        '内容中含有不可见的空字符（NUL），已拒绝：请删除从其他软件复制来的不可见字符后重试',
      );
    }
  });
}
