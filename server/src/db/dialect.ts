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
