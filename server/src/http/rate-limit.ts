import fastifyRateLimit from '@fastify/rate-limit';
import { ERROR_MESSAGES, ErrorBodySchema } from '@kesu/shared';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { AppError } from '../errors';

/** Everything the public (no sign-in) reads lives under this prefix; all of it is rate-limited. */
export const PUBLIC_PREFIX = '/api/v1/public/';

/** The OpenAPI tag every public route carries besides its module's. */
export const PUBLIC_TAG = 'public 公开接口';

interface StoreResult {
  current: number;
  ttl: number;
}
type StoreCallback = (err: Error | null, res: StoreResult) => void;

/**
 * A fixed-window counter per client address, in this process's memory (the plugin's `store` option): each address
 * counts its requests in windows of `timeWindow` ms from its first request. Several processes count on their own;
 * a shared store (the database, issue 17) implements the same `incr`/`read`/`child` and is passed in its place.
 */
export class MemoryRateStore {
  private readonly windows = new Map<string, { count: number; start: number }>();
  /** The plugin constructs the store with its settings (unused here); the clock is Date.now. */
  private readonly now: () => number = Date.now;

  incr(key: string, cb: StoreCallback, timeWindow: number): void {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.start + timeWindow <= t) {
      w = { count: 0, start: t };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.prune(t, timeWindow);
    }
    w.count += 1;
    cb(null, { current: w.count, ttl: w.start + timeWindow - t });
  }

  read(key: string, cb: StoreCallback, timeWindow: number): void {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || w.start + timeWindow <= t) cb(null, { current: 0, ttl: 0 });
    else cb(null, { current: w.count, ttl: w.start + timeWindow - t });
  }

  child(): MemoryRateStore {
    return new MemoryRateStore();
  }

  private prune(t: number, timeWindow: number): void {
    for (const [k, w] of this.windows) if (w.start + timeWindow <= t) this.windows.delete(k);
  }
}

/** The limit in words, for the OpenAPI description of each public route. */
export function rateLimitNote(max: number): string {
  return max > 0
    ? `限流：同一客户端地址每分钟最多 ${max} 次请求（/api/v1/public/ 下所有接口合计）；超过时返回 429（RATE_LIMITED），Retry-After 给出秒数，RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset 给出额度。`
    : '本服务器未对公开接口限流。';
}

/**
 * Rate-limit every request under /api/v1/public/ per client address (`req.ip`, i.e. through the proxies
 * TRUST_PROXY names) with @fastify/rate-limit: over the limit, 429 with the standard error body (RATE_LIMITED),
 * Retry-After and the draft-standard RateLimit-* headers. Unknown public paths count too (a scraper probing ids).
 * Also marks every public route in the OpenAPI document: the 公开接口 tag, the 429 answer and the limit in words.
 * Call before the routes are added.
 */
export async function registerPublicRateLimit(
  app: FastifyInstance,
  limit: { max: number; windowMs: number },
  store: new () => MemoryRateStore = MemoryRateStore,
): Promise<void> {
  const note = rateLimitNote(limit.max);
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith(PUBLIC_PREFIX) || route.schema?.hide) return;
    const schema = route.schema ?? {};
    const tags = (schema as { tags?: string[] }).tags ?? [];
    const description = (schema as { description?: string }).description;
    route.schema = {
      ...schema,
      tags: [...tags, PUBLIC_TAG],
      description: description ? `${description}\n\n${note}` : note,
      response: { ...(schema.response as object | undefined), 429: ErrorBodySchema },
    } as typeof route.schema;
  });
  if (limit.max <= 0) return;
  await app.register(fastifyRateLimit, {
    global: false,
    max: limit.max,
    timeWindow: limit.windowMs,
    enableDraftSpec: true,
    store: store as never,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', ERROR_MESSAGES.RATE_LIMITED, {
        limit: ctx.max,
        retryAfterSeconds: Math.max(1, Math.ceil(ctx.ttl / 1000)),
      }),
  });
  const check = app.rateLimit();
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith(PUBLIC_PREFIX)) await check.call(app, req, reply);
  });
}
