import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// The activity list (科普活动) pages newest first within a county and a year: with 200,000 activities PostgreSQL walked
// the start_date index backwards over the whole table (24 ms a page) and SQLite sorted every row of the county's year
// (9 ms). These let both read a page straight off an index in order.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('activities_jur_year_start_idx')
    .on('activities')
    .columns(['jurisdiction_id', 'year', 'start_date'])
    .execute();
  await db.schema
    .createIndex('activities_jur_start_idx')
    .on('activities')
    .columns(['jurisdiction_id', 'start_date'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activities_jur_start_idx').execute();
  await db.schema.dropIndex('activities_jur_year_start_idx').execute();
}
