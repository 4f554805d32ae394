import { createHash } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import { ERROR_MESSAGES, ErrorBodySchema } from '@kesu/shared';
import type { FastifyBaseLogger, FastifyInstance, RouteOptions } from 'fastify';
import type { Kysely } from 'kysely';
import type { DialectName } from '../db/dialect';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { bumpRateCounter, deleteEndedRateCounters, readRateCounter } from './rate-limit.repository';

/** Everything the public (no sign-in) reads lives under this prefix; all of it is rate-limited. */
export const PUBLIC_PREFIX = '/api/v1/public/';

/** The OpenAPI tag every public route carries besides its module's. */
export const PUBLIC_TAG = 'public 公开接口';

interface StoreResult {
  current: number;
  ttl: number;
}
type StoreCallback = (err: Error | null, res: StoreResult) => void;

/** How often each node deletes the ended windows of the shared limits (rate_limit_counters, self_test_attempts). */
export const PRUNE_EVERY_MS = 60_000;

/**
 * sha256 (hex) of a client address: what the shared limits store instead of the address. There is no
 * per-installation secret in the configuration to key it with, so it is plain sha256; an IPv4 hash is easy to
 * reverse by trying every address, so the privacy promise rests on the rows being deleted once their window ends
 * (PRUNE_EVERY_MS) and never backed up (TRANSIENT_TABLES), not on the hash.
 */
export function hashClientAddress(address: string): string {
  return createHash('sha256').update(address).digest('hex');
}

/**
 * A logger of a shared limit's database errors, at most one warning a minute (a database that is down would
 * otherwise log once per public request).
 */
export function failOpenWarner(log: FastifyBaseLogger, what: string): (err: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (err) => {
    const t = Date.now();
    if (t - last < 60_000) return;
    last = t;
    log.warn({ err: (err as Error)?.message ?? String(err) }, `${what}: database error, request let through`);
  };
}

/**
 * A fixed-window counter per client address in this process's memory, for SQLite: one process serves an SQLite
 * database (as the in-process job queue assumes), so there is nobody to share the count with, and a counter row
 * written and fsync'd per public request halved the public API's throughput (measured: /api/v1/public/plans, 20
 * connections, 2,403 → 1,178 req/s, p50 7 → 16 ms). Same window rule as DbRateStore.
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

/** What a DbRateStore reads and writes with; shared by the store and its children. */
export interface RateStoreDeps {
  db: Kysely<Database>;
  /** Called with a failed read or write of the counter (the request is let through). */
  onError: (err: unknown) => void;
  now: () => number;
}

/**
 * The @fastify/rate-limit store (`incr`/`read`/`child`): a fixed window per client key, `timeWindow` ms from the
 * key's first request, counted in the database (rate_limit_counters) so every node on it counts against one limit.
 * The key stored is a hash of `prefix` + the client key.
 *
 * Fail open: when the database cannot count (down, table missing), the request goes through as the first of a
 * window and the error is logged as a warning (failOpenWarner). A broken counter must not turn public reads into
 * 500s; the public reads need the same database, so an outage that lets reads through unlimited is short-lived.
 */
export class DbRateStore {
  constructor(
    private readonly deps: RateStoreDeps,
    private readonly prefix = '',
  ) {}

  incr(key: string, cb: StoreCallback, timeWindow: number): void {
    const now = this.deps.now();
    bumpRateCounter(this.deps.db, this.keyOf(key), new Date(now), timeWindow).then(
      (r) => cb(null, { current: r.hits, ttl: Math.max(0, Date.parse(r.expiresAt) - now) }),
      (err) => this.failOpen(err, cb),
    );
  }

  read(key: string, cb: StoreCallback): void {
    const now = this.deps.now();
    readRateCounter(this.deps.db, this.keyOf(key), new Date(now)).then(
      (r) =>
        cb(
          null,
          r ? { current: r.hits, ttl: Math.max(0, Date.parse(r.expiresAt) - now) } : { current: 0, ttl: 0 },
        ),
      (err) => this.failOpen(err, cb),
    );
  }

  /** A store for a route with its own limit: its own counters (prefixed by method and URL). */
  child(params: { routeInfo?: { method?: string | string[]; url?: string } }): DbRateStore {
    const r = params.routeInfo ?? {};
    return new DbRateStore(this.deps, `${this.prefix}${String(r.method ?? '')} ${r.url ?? ''}|`);
  }

  private keyOf(key: string): string {
    return hashClientAddress(this.prefix + key);
  }

  private failOpen(err: unknown, cb: StoreCallback): void {
    this.deps.onError(err);
    cb(null, { current: 0, ttl: 0 });
  }
}

/**
 * Run `task` every `everyMs` while the app is open, one run at a time; a failed run is logged as a warning. The
 * timer does not keep the process alive, and closing the app waits for a run in progress.
 */
export function repeatWhileOpen(
  app: FastifyInstance,
  everyMs: number,
  name: string,
  task: () => Promise<unknown>,
): void {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .then(
        () => undefined,
        (err) => app.log.warn({ err: (err as Error)?.message ?? String(err) }, `${name} failed`),
      )
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
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
 * On PostgreSQL the count lives in the database (DbRateStore), so every node on one database shares the limit; each
 * node deletes ended windows every PRUNE_EVERY_MS. On SQLite (one process) it is counted in memory (MemoryRateStore). Also marks every public route in the OpenAPI document: the 公开接口 tag, the
 * 429 answer and the limit in words. Call before the routes are added.
 */
export async function registerPublicRateLimit(
  app: FastifyInstance,
  limit: { max: number; windowMs: number },
  db: Kysely<Database>,
  dialect: DialectName,
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
  // Pruned even with the limit off: rows left from when it was on go after their window too.
  if (dialect === 'postgres')
    repeatWhileOpen(app, PRUNE_EVERY_MS, 'pruning the public rate-limit counters', () =>
      deleteEndedRateCounters(db, new Date()),
    );
  if (limit.max <= 0) return;
  const deps: RateStoreDeps = { db, onError: failOpenWarner(app.log, 'public rate limit'), now: Date.now };
  // The plugin constructs its store with `new Store(settings)`: this class binds the database to it.
  class Store extends DbRateStore {
    constructor() {
      super(deps);
    }
  }
  await app.register(fastifyRateLimit, {
    global: false,
    max: limit.max,
    timeWindow: limit.windowMs,
    enableDraftSpec: true,
    store: (dialect === 'postgres' ? Store : MemoryRateStore) as never,
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
