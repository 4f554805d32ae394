import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Published dashboard snapshots: the city overview of a cycle frozen as JSON when the admin publishes it. Rows are
// never changed except to be unpublished (history is kept); the public reads only rows with is_published = 1.
// A snapshot carries its plan title and cycle name, so it holds no foreign key to them: it outlives a removed cycle
// (e.g. demo data) as the record of what was published.
// Plus indexes the overview's reads use (reports of a cycle by their first submission; a cycle's snapshots).
// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dashboard_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('plan_title', 'text', (c) => c.notNull())
    .addColumn('cycle_name', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    /** The overview as published (OverviewSchema JSON); immutable. */
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('is_published', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.references('users.id'))
    .addColumn('published_by_name', 'text')
    .addColumn('unpublished_at', 'text')
    .addColumn('unpublished_by', 'text', (c) => c.references('users.id'))
    .addColumn('unpublished_by_name', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('dashboard_snapshots_cycle_idx')
    .on('dashboard_snapshots')
    .columns(['cycle_id', 'published_at'])
    .execute();
  await db.schema
    .createIndex('dashboard_snapshots_published_idx')
    .on('dashboard_snapshots')
    .columns(['is_published', 'period_end'])
    .execute();
  await db.schema
    .createIndex('report_events_action_report_idx')
    .on('report_events')
    .columns(['action', 'report_id', 'at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('report_events_action_report_idx').execute();
  await db.schema.dropTable('dashboard_snapshots').execute();
}
