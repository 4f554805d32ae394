import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Demo data: one row per loaded batch, and a nullable demo_batch_id on every table the demo loader writes, so
// `kesu demo remove` deletes exactly the rows it made (and real rows never carry the mark).
const MARKED = ['reporting_cycles', 'progress_reports', 'report_values', 'report_events'] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demo_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    /** JSON: rows made per table. */
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
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
  await db.schema.dropTable('demo_batches').execute();
}
