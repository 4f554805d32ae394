import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// The registry list (issue 13) shows a kind's records newest first (ids are time-ordered): an index on (kind, id)
// reads the first page of 50,000 volunteers without sorting them all; the list's filters (jurisdiction, year, level,
// status as of a date) are all in a second index, so the total is counted from the index alone.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('resources_kind_id_idx').on('resources').columns(['kind', 'id']).execute();
  await db.schema
    .createIndex('resources_list_idx')
    .on('resources')
    .columns([
      'kind',
      'jurisdiction_id',
      'year',
      'level',
      'recognised_on',
      'expires_on',
      'withdrawn_on',
      'id',
    ])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('resources_list_idx').execute();
  await db.schema.dropIndex('resources_kind_id_idx').execute();
}
