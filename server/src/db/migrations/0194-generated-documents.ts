import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Documents made in the background (issue 17): a request is a row here and a job on the queue; whichever node runs
// the job stores the file in the file storage (key documents/<year>/<id>.<docx|pdf>) and marks the row done, so any
// node answers its status and serves its file. Files are kept a day: a scheduled cleanup deletes them and marks the
// rows expired. `active_key` (who, kind, subject, format) is set only while queued or running: the unique index lets
// one identical request in flight per user, across nodes; finished rows set it null (NULLs never collide).

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('generated_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** bulletin | annual | notice | unit-summary. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The kind's parameters (cycleId, planId, year, noticeId, unitId) as JSON, keys sorted. */
    .addColumn('query_json', 'text', (c) => c.notNull())
    /** docx | pdf. */
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    /** queued | running | done | failed | expired. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('active_key', 'text')
    /** Why it failed: the error code and its Chinese message. */
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .addColumn('file_key', 'text')
    .addColumn('file_name', 'text')
    .addColumn('content_type', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('generated_documents_active_key')
    .on('generated_documents')
    .column('active_key')
    .unique()
    .execute();
  await db.schema
    .createIndex('generated_documents_status_finished')
    .on('generated_documents')
    .columns(['status', 'finished_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('generated_documents').execute();
}
