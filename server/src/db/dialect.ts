import { type Expression, type RawBuilder, sql } from 'kysely';

/** The two supported SQL engines. Every unavoidable difference between them lives in this file. */
export type DialectName = 'sqlite' | 'postgres';

/**
 * Case-insensitive "contains" pattern for LIKE. Both engines lower-case ASCII with lower(); Chinese text has no case.
 * The escape character is declared explicitly because PostgreSQL and SQLite default differently.
 */
export function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** lower(expr) LIKE pattern ESCAPE '\' — identical text on both engines. */
export function ilike(expr: Expression<string | null>, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${expr}) like ${pattern} escape '\\'`;
}

/** count(*) comes back as a string (bigint) from PostgreSQL and a number from SQLite. */
export function toCount(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** A unique-constraint violation, as each driver reports it. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** A foreign-key violation (a row still referred to), as each driver reports it. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/**
 * Values bound in one `in (…)` list at most: SQLite refuses more than 32,766 bound values in a statement and
 * PostgreSQL more than 65,535, and a list of 100,000 ids (an export) meets both.
 */
export const IN_LIST_MAX = 1000;

/**
 * `read` over `ids` in parts of IN_LIST_MAX, the rows concatenated in order (one statement per part). Between parts
 * the event loop gets a turn: SQLite's statements run synchronously and an `await` of one only queues a microtask,
 * so 80 parts of an export read back to back held the loop ~1.7 s in one piece (measured with 80,000 activities).
 */
export async function readInParts<T>(
  ids: readonly string[],
  read: (part: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_LIST_MAX) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    // A loop, not push(...rows): a spread of 100,000 rows overflows the stack.
    for (const r of await read(ids.slice(i, i + IN_LIST_MAX))) out.push(r);
  }
  return out;
}
