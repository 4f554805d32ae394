import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// The supervision alert scan (预警扫描) as a scheduled job (issue 17). Until now alerts were computed only when an
// admin opened the alerts page; the job now also scans on a schedule, records each run, and remembers which alert
// keys it has seen so it tells the office of NEW alerts once, never again for a standing one.
// - alert_scans: one row per scheduled run (finished_at null while running, or when the run died; the queue retries).
// - alert_keys: one row per alert key and scope: first seen, last seen, cleared (gone from a scan whose source
//   answered). A key seen again after it cleared is new again. The primary key (scope, alert_key) makes the claim of a
//   new key an idempotent INSERT … ON CONFLICT DO NOTHING, so two runs at once cannot both announce it.
// `scope` is the part of the installation a scan covers: 'all' (alerts are read by the root's staff and cover every
// unit); a per-jurisdiction scan, should alerts become scoped, would use its jurisdiction id.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alert_scans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    /** ISO-8601 UTC. */
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    /** Alerts standing at this scan. */
    .addColumn('alerts_found', 'integer', (c) => c.notNull().defaultTo(0))
    /** Of them, first seen (or seen again after clearing) by this scan. */
    .addColumn('alerts_new', 'integer', (c) => c.notNull().defaultTo(0))
    /** Keys standing before that this scan no longer found. */
    .addColumn('alerts_cleared', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON array of the sources that failed (their alerts neither new nor cleared by this scan). */
    .addColumn('failed_sources', 'text', (c) => c.notNull().defaultTo('[]'))
    /** In-app notifications this scan sent (one per responsible admin, none when nothing is new). */
    .addColumn('notified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('alert_scans_scope_started')
    .on('alert_scans')
    .columns(['scope', 'started_at'])
    .execute();
  await db.schema
    .createTable('alert_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('alert_key', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('cleared_at', 'text')
    .addPrimaryKeyConstraint('alert_keys_pk', ['scope', 'alert_key'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alert_keys').execute();
  await db.schema.dropTable('alert_scans').execute();
}
