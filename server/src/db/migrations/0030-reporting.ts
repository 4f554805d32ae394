import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Reporting cycles of a plan version; progress reports per unit × task × cycle with their indicator values,
// workflow events and evidence attachments (files under DATA_DIR; rows hold generated relative paths).
// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reporting_cycles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('plan_versions.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('grace_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('closed_at', 'text')
    .addColumn('locked_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reporting_cycles_period_uq', ['plan_id', 'period_start', 'period_end'])
    .execute();

  await db.schema
    .createTable('progress_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('reporting_cycles.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('task_id', 'text', (c) => c.notNull().references('plan_tasks.id'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('progress', 'text', (c) => c.notNull().defaultTo('not_started'))
    .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('prefilled_from_id', 'text', (c) => c.references('progress_reports.id'))
    .addColumn('review_comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('progress_reports_uq', ['cycle_id', 'unit_id', 'task_id'])
    .execute();
  await db.schema.createIndex('progress_reports_unit_idx').on('progress_reports').column('unit_id').execute();
  await db.schema.createIndex('progress_reports_task_idx').on('progress_reports').column('task_id').execute();

  await db.schema
    .createTable('report_values')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('progress_reports.id'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id'))
    .addColumn('county_id', 'text', (c) => c.references('units.id'))
    /** Decimal text; null = not entered. */
    .addColumn('value', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_prefilled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('report_values_report_idx').on('report_values').column('report_id').execute();
  await db.schema
    .createIndex('report_values_indicator_idx')
    .on('report_values')
    .column('indicator_id')
    .execute();

  await db.schema
    .createTable('report_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('progress_reports.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_events_report_idx').on('report_events').column('report_id').execute();

  await db.schema
    .createTable('report_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('progress_reports.id'))
    /** Display name only (sanitised); the file lives at storage_path, a generated name under DATA_DIR. */
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_attachments_report_idx')
    .on('report_attachments')
    .column('report_id')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_attachments').execute();
  await db.schema.dropTable('report_events').execute();
  await db.schema.dropTable('report_values').execute();
  await db.schema.dropTable('progress_reports').execute();
  await db.schema.dropTable('reporting_cycles').execute();
}
