import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Survey waves, their columnar microdata, the cached estimates, and uploads on their way to becoming a wave.
// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_waves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('scoring_rule', 'text', (c) => c.notNull())
    .addColumn('design_json', 'text', (c) => c.notNull())
    .addColumn('mapping_json', 'text', (c) => c.notNull())
    .addColumn('source_file_name', 'text', (c) => c.notNull())
    .addColumn('n_rows', 'integer', (c) => c.notNull())
    .addColumn('is_published', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_waves_year_idx').on('survey_waves').column('year').execute();

  // One row per stored column of a wave: a typed array (Float64 numbers, Int32 category codes), gzip, base64.
  await db.schema
    .createTable('survey_wave_columns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wave_id', 'text', (c) => c.notNull().references('survey_waves.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('levels_json', 'text')
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addUniqueConstraint('survey_wave_columns_role_uq', ['wave_id', 'role'])
    .execute();

  await db.schema
    .createTable('survey_estimates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wave_id', 'text', (c) => c.notNull().references('survey_waves.id').onDelete('cascade'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('by_var', 'text')
    .addColumn('domain', 'text')
    .addColumn('variable', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('estimate', 'double precision', (c) => c.notNull())
    .addColumn('se', 'double precision', (c) => c.notNull())
    .addColumn('ci_low', 'double precision')
    .addColumn('ci_high', 'double precision')
    .addColumn('deff', 'double precision')
    .addColumn('df', 'integer', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_estimates_wave_idx').on('survey_estimates').column('wave_id').execute();

  await db.schema
    .createTable('survey_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('columns_json', 'text', (c) => c.notNull())
    .addColumn('preview_json', 'text', (c) => c.notNull())
    .addColumn('suggested_mapping_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('bytes_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('report_json', 'text')
    .addColumn('wave_id', 'text', (c) => c.references('survey_waves.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_uploads').execute();
  await db.schema.dropTable('survey_estimates').execute();
  await db.schema.dropTable('survey_wave_columns').execute();
  await db.schema.dropTable('survey_waves').execute();
}
