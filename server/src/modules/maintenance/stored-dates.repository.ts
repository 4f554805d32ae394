import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema';

/** Every column holding a calendar date 'YYYY-MM-DD': what `kesu dates` checks and may fix. */
export const DATE_COLUMNS = [
  { table: 'plan_versions', column: 'doc_date', versioned: false },
  { table: 'indicators', column: 'deadline', versioned: true },
  { table: 'reporting_cycles', column: 'period_start', versioned: true },
  { table: 'reporting_cycles', column: 'period_end', versioned: true },
  { table: 'reporting_cycles', column: 'due_date', versioned: true },
  { table: 'dashboard_snapshots', column: 'period_end', versioned: true },
  { table: 'supervision_notices', column: 'deadline', versioned: true },
] as const;
export type DateColumn = (typeof DATE_COLUMNS)[number];

// The table and column names below come only from DATE_COLUMNS, never from input.
// biome-ignore lint/suspicious/noExplicitAny: the tables differ; names are checked against DATE_COLUMNS
type AnyDb = Kysely<any>;

export async function listDateValues(
  db: Kysely<Database>,
  c: DateColumn,
): Promise<Array<{ id: string; value: string }>> {
  return (db as AnyDb)
    .selectFrom(c.table)
    .select(['id', `${c.column} as value`])
    .where(c.column, 'is not', null)
    .orderBy('id')
    .execute();
}

export async function readDateValue(
  db: Kysely<Database>,
  c: DateColumn,
  id: string,
): Promise<string | null | undefined> {
  const row = await (db as AnyDb)
    .selectFrom(c.table)
    .select(`${c.column} as value`)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? (row.value as string | null) : undefined;
}

export async function writeDateValue(
  db: Kysely<Database>,
  c: DateColumn,
  id: string,
  value: string,
): Promise<void> {
  const set: Record<string, unknown> = { [c.column]: value };
  if (c.versioned) set.version = sql`version + 1`;
  await (db as AnyDb).updateTable(c.table).set(set).where('id', '=', id).execute();
}
