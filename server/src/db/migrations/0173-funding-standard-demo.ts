import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// The demo's 科普经费 standards (issue 13): `kesu demo remove` deletes exactly the standards the demo set, so they carry
// the batch like every other demo row.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('funding_standards').addColumn('demo_batch_id', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('funding_standards').dropColumn('demo_batch_id').execute();
}
