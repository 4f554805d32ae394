import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// The overview cache's fingerprint reads max(updated_at) of every table an observation source declares (the registry
// source: resources, activities, funding). Without an index that is a scan of every row (200,000 activities) on each
// dashboard request; with one it is a look-up.

const TABLES = ['resources', 'activities', 'funding'] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const t of TABLES)
    await db.schema.createIndex(`${t}_updated_idx`).on(t).column('updated_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) await db.schema.dropIndex(`${t}_updated_idx`).execute();
}
