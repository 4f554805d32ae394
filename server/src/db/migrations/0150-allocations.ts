import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// 分解下达: a city indicator assigned down to a county (or function zone) with the county's own target. The county's
// plan gets a task and an indicator of its own for it; the county's approved values roll up to the city indicator.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The indicator of the upper plan that is assigned down. */
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id'))
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    /** 'quota' (a count split so the parts add up) or 'rate' (the same share or rate for every county). */
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('target_value', 'text', (c) => c.notNull())
    /** The task and indicator made in the county's plan; null while the county has no plan yet. */
    .addColumn('county_task_id', 'text', (c) => c.references('plan_tasks.id'))
    .addColumn('county_indicator_id', 'text', (c) => c.references('indicators.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('allocations_indicator_jurisdiction', ['indicator_id', 'jurisdiction_id'])
    .execute();
  await db.schema
    .createIndex('allocations_county_indicator_idx')
    .on('allocations')
    .column('county_indicator_id')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('allocations').execute();
}
