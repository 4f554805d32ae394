import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Count one request of `key` in its fixed window: one INSERT … ON CONFLICT (key) DO UPDATE … RETURNING, atomic on
 * both engines, so requests counted at the same moment by several nodes are all counted. A window that ended
 * (expires_at ≤ now) starts again at 1 and ends `windowMs` after this request. Times: ISO-8601 UTC with ms.
 */
export async function bumpRateCounter(
  db: Kysely<Database>,
  key: string,
  now: Date,
  windowMs: number,
): Promise<{ hits: number; expiresAt: string }> {
  const at = now.toISOString();
  const end = new Date(now.getTime() + windowMs).toISOString();
  const row = await db
    .insertInto('rate_limit_counters')
    .values({ key, hits: 1, expires_at: end })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limit_counters.expires_at <= ${at} then 1 else rate_limit_counters.hits + 1 end`,
        expires_at: sql<string>`case when rate_limit_counters.expires_at <= ${at} then ${end} else rate_limit_counters.expires_at end`,
      }),
    )
    .returning(['hits', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { hits: row.hits, expiresAt: row.expires_at };
}

/** The count of `key`'s window, without counting; null when it has none (or it ended). */
export async function readRateCounter(
  db: Kysely<Database>,
  key: string,
  now: Date,
): Promise<{ hits: number; expiresAt: string } | null> {
  const row = await db
    .selectFrom('rate_limit_counters')
    .select(['hits', 'expires_at'])
    .where('key', '=', key)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { hits: row.hits, expiresAt: row.expires_at } : null;
}

/** Delete the windows that ended; returns how many. */
export async function deleteEndedRateCounters(db: Kysely<Database>, now: Date): Promise<number> {
  const r = await db
    .deleteFrom('rate_limit_counters')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
