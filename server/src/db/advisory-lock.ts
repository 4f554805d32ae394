import { sql } from 'kysely';
import type { Db } from './database';

/**
 * Run `fn` while holding a PostgreSQL session-level advisory lock on a dedicated connection: other processes asking
 * for the same key wait until it is released. `fn` may use the pool freely. SQLite: one process owns the file, so
 * `fn` simply runs.
 */
export async function withAdvisoryLock<T>(db: Db, key: number, fn: () => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgres') return fn();
  return db.kysely.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${key})`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}
