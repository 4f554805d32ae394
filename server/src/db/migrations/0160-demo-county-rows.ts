import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// The demo also makes two counties' 实施方案 with the units they name. Plans and units carry the batch mark like every
// demo row; what hangs off a demo plan (versions, tasks, their units, indicators, breakdowns, task links) is found
// through the plan, so `kesu demo remove` deletes exactly what the demo made. Its 分解下达 of a city indicator to the
// counties (allocations) is marked too, so removing it also restores the city indicator.
const MARKED = ['plans', 'units', 'allocations'] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of MARKED) {
    await db.schema.alterTable(table).addColumn('demo_batch_id', 'text').execute();
    await db.schema.createIndex(`${table}_demo_idx`).on(table).column('demo_batch_id').execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...MARKED].reverse()) {
    await db.schema.dropIndex(`${table}_demo_idx`).execute();
    await db.schema.alterTable(table).dropColumn('demo_batch_id').execute();
  }
}
