import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Reporting reminders and channels. `reminder_sends` holds one row per reminder event — (kind, subject, occurrence),
// e.g. ('deadline_soon', <cycle id>, <unit id>) — inserted in the transaction that writes the notifications, so
// several server processes on one database send each reminder exactly once (the second insert is a unique
// violation and its transaction rolls back). Users get an optional phone and e-mail and the channels they want.
// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reminder_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('occurrence', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reminder_sends_once', ['kind', 'subject_id', 'occurrence'])
    .execute();
  await db.schema.alterTable('users').addColumn('phone', 'text').execute();
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  /** Comma-separated channels besides in-app (always): 'email', 'webhook'. */
  await db.schema
    .alterTable('users')
    .addColumn('notify_channels', 'text', (c) => c.notNull().defaultTo('email,webhook'))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('notify_channels').execute();
  await db.schema.alterTable('users').dropColumn('email').execute();
  await db.schema.alterTable('users').dropColumn('phone').execute();
  await db.schema.dropTable('reminder_sends').execute();
}
