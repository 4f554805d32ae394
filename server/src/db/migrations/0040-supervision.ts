import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Supervision notices (督办单) to a unit, with severity, deadline and an optional link to a plan task, indicator,
// report or cycle; and the steps of each notice (交办 → 签收 → 回复 → 办结 → 退回/销号) as its timeline.
// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('supervision_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    /** yellow | orange | red */
    .addColumn('severity', 'text', (c) => c.notNull())
    /** YYYY-MM-DD, last day to finish. */
    .addColumn('deadline', 'text', (c) => c.notNull())
    /** issued | signed | done | returned | closed */
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('issued'))
    /** task | indicator | report | cycle, or null; entity_id is checked to exist when the notice is issued. */
    .addColumn('link_type', 'text')
    .addColumn('link_id', 'text')
    .addColumn('link_label', 'text')
    .addColumn('alert_key', 'text')
    .addColumn('issued_by', 'text', (c) => c.references('users.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text')
    .addColumn('done_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supervision_notices_unit_idx')
    .on('supervision_notices')
    .columns(['unit_id', 'state'])
    .execute();
  await db.schema
    .createIndex('supervision_notices_alert_idx')
    .on('supervision_notices')
    .column('alert_key')
    .execute();

  await db.schema
    .createTable('supervision_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('supervision_notices.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supervision_events_notice_idx')
    .on('supervision_events')
    .column('notice_id')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('supervision_events').execute();
  await db.schema.dropTable('supervision_notices').execute();
}
