import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Limits shared by every node on one database (issue 17): until now each process counted in its own memory, so N
// nodes let N times the limit through.
// - rate_limit_counters: the public read API's fixed window per client (key: a hash of the address). Each request is
//   one INSERT … ON CONFLICT (key) DO UPDATE … RETURNING, so hits counted at the same moment on two nodes all count.
// - self_test_attempts: the citizen self-test's sliding window, as `max` slots per address hash; a submission claims
//   a slot whose previous attempt left the window (a conditional upsert), so at most `max` attempts fall in any window.
// Both hold rows only until expires_at: the nodes delete expired rows every minute. Neither table is backed up.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    /** Requests counted in the current window. */
    .addColumn('hits', 'integer', (c) => c.notNull())
    /** End of the current window (ISO-8601 UTC, ms): the next request after it starts a new window at 1. */
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rate_limit_counters_expires')
    .on('rate_limit_counters')
    .column('expires_at')
    .execute();
  await db.schema
    .createTable('self_test_attempts')
    /** sha256 of the client address (hex); the address itself is never stored. */
    .addColumn('address_hash', 'text', (c) => c.notNull())
    /** 0 … max−1: each slot holds the latest attempt that claimed it. */
    .addColumn('slot', 'integer', (c) => c.notNull())
    /** When that attempt leaves the window (ISO-8601 UTC, ms). */
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('self_test_attempts_pk', ['address_hash', 'slot'])
    .execute();
  await db.schema
    .createIndex('self_test_attempts_expires')
    .on('self_test_attempts')
    .column('expires_at')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('self_test_attempts').execute();
  await db.schema.dropTable('rate_limit_counters').execute();
}
