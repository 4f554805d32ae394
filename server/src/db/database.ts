import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import type { DialectName } from './dialect';
import type { Database } from './schema';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** The SQLite handle, for PRAGMAs and integrity checks; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

/** PostgreSQL returns bigint (count(*), sums) as text: keep integers as numbers, they stay far below 2^53 here. */
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Open the database named by the config. SQLite: WAL journal, foreign keys on, a busy timeout so a second process
 * (the CLI's backup while the server runs) waits instead of failing, synchronous=FULL so an acknowledged commit
 * survives a crash of the process or the machine.
 */
export function openDatabase(database: Config['database']): Db {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    // An idle pooled connection can be ended by the server (restart, failover, a dropped database). pg reports it on
    // the pool; unheard, that event would crash the process. The pool replaces the connection on next use.
    pool.on('error', (err) => {
      process.emitWarning(
        `PostgreSQL connection closed by the server: ${err.message}`,
        'KesuDatabaseWarning',
      );
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', sqlite: null, close: () => kysely.destroy() };
  }
  if (database.file !== ':memory:') {
    fs.mkdirSync(path.dirname(database.file), { recursive: true, mode: 0o700 });
    // The file holds password hashes and sessions: readable by its owner only. SQLite gives the -wal and -shm files
    // the database file's own permissions. A file from an older kesu (0644) is tightened on open.
    fs.closeSync(fs.openSync(database.file, 'a', 0o600));
    try {
      if ((fs.statSync(database.file).mode & 0o077) !== 0) fs.chmodSync(database.file, 0o600);
    } catch {
      // Not the owner (a file provided by the operator): its permissions are the operator's choice.
    }
  }
  const sqlite = new SQLite(database.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = FULL');
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { kysely, dialect: 'sqlite', sqlite, close: () => kysely.destroy() };
}

/**
 * Kysely's SQLite driver prepares every query anew; better-sqlite3 statements can be run again, so the same SQL text
 * reuses its prepared statement (least recently used dropped past `max`). Measured on the city overview under load
 * (bench/RESULTS.md): preparing was a quarter of the server's CPU. A statement still being iterated (a streamed
 * query) is never handed out twice: the caller gets a fresh one. SQLite re-prepares a cached statement itself
 * after a schema change.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return sqlite.prepare(sql);
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

/** `PRAGMA integrity_check` on SQLite ("ok" when sound); PostgreSQL checks itself and answers "ok". */
export function integrityCheck(db: Db): string {
  if (!db.sqlite) return 'ok';
  const rows = db.sqlite.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}
