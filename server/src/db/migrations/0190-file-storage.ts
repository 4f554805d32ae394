import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen in time: this file never imports app code.
// Files in the database (issue 17): with FILE_STORAGE=database every uploaded file (evidence, survey uploads, activity
// and 考核 files) lives here instead of under DATA_DIR, so several nodes on one PostgreSQL share them with no shared
// disk. A file is one file_blobs row (its key is the storage_path the owning row keeps) and its bytes in order as
// file_chunks rows of at most 512 KiB.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('file_blobs')
    /** The file's key: a relative path with '/' (attachments/2026/<id>), as in the owning row's storage_path. */
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('chunk_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('file_chunks')
    .addColumn('key', 'text', (c) => c.notNull().references('file_blobs.key').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['key', 'seq'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file_chunks').execute();
  await db.schema.dropTable('file_blobs').execute();
}
