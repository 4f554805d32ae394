import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// The demo carries a generated survey wave (so the monitoring page is never empty in the demo); like every demo
// row it is marked with its batch, and `kesu demo remove` deletes it with the rest.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey_waves').addColumn('demo_batch_id', 'text').execute();
  await db.schema.createIndex('survey_waves_demo_idx').on('survey_waves').column('demo_batch_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('survey_waves_demo_idx').execute();
  await db.schema.alterTable('survey_waves').dropColumn('demo_batch_id').execute();
}
