import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, withStatementCache } from './database';

describe('SQLite statement cache', () => {
  const open: SQLite.Database[] = [];
  afterEach(() => {
    for (const d of open.splice(0)) d.close();
  });
  const memory = () => {
    const d = new SQLite(':memory:');
    open.push(d);
    d.exec('create table t (x integer)');
    return d;
  };

  it('hands out the same prepared statement for the same SQL, and drops the least recently used past its bound', () => {
    const d = memory();
    const cached = withStatementCache(d, 2);
    const a = cached.prepare('select x from t');
    expect(cached.prepare('select x from t')).toBe(a);
    const b = cached.prepare('select x + 1 from t');
    cached.prepare('select x from t'); // a is now the most recent
    cached.prepare('select x + 2 from t'); // evicts b
    expect(cached.prepare('select x from t')).toBe(a);
    expect(cached.prepare('select x + 1 from t')).not.toBe(b);
  });

  it('gives a fresh statement while the cached one is still being iterated (a streamed query)', () => {
    const d = memory();
    d.exec('insert into t values (1), (2), (3)');
    const cached = withStatementCache(d);
    const outer = cached.prepare('select x from t order by x') as unknown as SQLite.Statement;
    const seen: number[] = [];
    for (const row of outer.iterate() as Iterable<{ x: number }>) {
      const inner = cached.prepare('select x from t order by x') as unknown as SQLite.Statement;
      expect(inner).not.toBe(outer);
      seen.push(row.x, (inner.all() as { x: number }[]).length);
    }
    expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
  });

  it('keeps answering after the schema changes under a cached statement', async () => {
    const db = openDatabase({ kind: 'sqlite', file: ':memory:' });
    try {
      await sql`create table s (a integer)`.execute(db.kysely);
      await sql`insert into s values (1)`.execute(db.kysely);
      const read = () => sql<Record<string, number>>`select * from s`.execute(db.kysely);
      expect((await read()).rows).toEqual([{ a: 1 }]);
      await sql`alter table s add column b integer default 7`.execute(db.kysely);
      expect((await read()).rows).toEqual([{ a: 1, b: 7 }]);
    } finally {
      await db.close();
    }
  });
});
