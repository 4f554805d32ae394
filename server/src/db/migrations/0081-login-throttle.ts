import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Sign-in throttling counted atomically (issue 8): one row per key, 'ip:<address>' (failures from an address in a
// window) or 'acct:<username>|<address>' (failures on an account from an address, with a lock and a back-off
// strike count). Each attempt is one INSERT … ON CONFLICT DO UPDATE … RETURNING before the password is checked, so
// parallel attempts cannot all pass a read-then-write check. Locks are per (account, address): five wrong passwords
// from one address no longer lock the account for everyone.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('strikes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Account locks of the old scheme (the whole account, for everyone) end now.
  await db.updateTable('users').set({ failed_attempts: 0, locked_until: null }).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}
