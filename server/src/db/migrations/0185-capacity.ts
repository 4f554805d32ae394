import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// 科学素质建设能力监测评估 (issue 14): a jurisdiction's configuration of the capacity index for a year (dimensions and
// indicators as JSON, the values its admin enters per county), and each computed result (inputs with their as-of day
// and source, scaled values, dimension scores, index, ranks, weights, method, sensitivity) with its published flag.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('capacity_configs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    /** minmax | zscore */
    .addColumn('scaling', 'text', (c) => c.notNull())
    /** JSON: [{ key, name, weight, indicators: [{ key, name, unit, weight, direction, perResident, source }] }] */
    .addColumn('dimensions_json', 'text', (c) => c.notNull())
    /** JSON: [{ indicatorKey, jurisdictionId, value }] for the manual indicators. */
    .addColumn('manual_values_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('capacity_configs_jur_year', ['jurisdiction_id', 'year'])
    .execute();

  await db.schema
    .createTable('capacity_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('scaling', 'text', (c) => c.notNull())
    /** The day the inputs were read as of (YYYY-MM-DD). */
    .addColumn('as_of', 'text', (c) => c.notNull())
    /** JSON: dimensions (normalised weights, sources), counties (inputs, scaled, dimension scores, index, rank), sensitivity, method. */
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('computed_by', 'text', (c) => c.references('users.id'))
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('is_published', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('capacity_results_jur_year')
    .on('capacity_results')
    .columns(['jurisdiction_id', 'year', 'computed_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('capacity_results').execute();
  await db.schema.dropTable('capacity_configs').execute();
}
