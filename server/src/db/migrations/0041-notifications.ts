import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// In-app notifications. A notification goes to one user (e.g. each admin) or to one unit (every reporter of the
// unit sees it; whoever reads it marks it read for the unit, like a shared unit inbox). Exactly one is set.
// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recipient_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('recipient_unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    /** In-app path, e.g. /supervision/notices/<id>. */
    .addColumn('link', 'text')
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['recipient_user_id', 'read_at'])
    .execute();
  await db.schema
    .createIndex('notifications_unit_idx')
    .on('notifications')
    .columns(['recipient_unit_id', 'read_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
}
