import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// 表彰奖励 (issue 14): commendations awarded by a level (collective or person, level, title, reason, 文号, date),
// proposed (by hand or from the assessment ranking: source text and reference) → confirmed or rejected; confirmed ones
// may be published on the public site.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recognitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The awarding level. */
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    /** collective (集体) | person (个人) */
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    /** Optional link to the unit, or to the county (jurisdiction), recognised. */
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('recipient_jurisdiction_id', 'text', (c) => c.references('jurisdictions.id'))
    /** 国家级 / 省级 / 市级 / 县级 */
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    /** 文号, e.g. 徐科协〔2026〕12号 */
    .addColumn('doc_number', 'text')
    .addColumn('awarded_on', 'text')
    /** proposed | confirmed | rejected */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('is_published', 'integer', (c) => c.notNull().defaultTo(0))
    /** Where the proposal came from, in words ("2026年度考核第1名") and as a reference (e.g. an assessment's id). */
    .addColumn('source_text', 'text')
    .addColumn('source_ref', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('recognitions_jur_year')
    .on('recognitions')
    .columns(['jurisdiction_id', 'year', 'state'])
    .execute();
  await db.schema
    .createIndex('recognitions_public')
    .on('recognitions')
    .columns(['is_published', 'state', 'year'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recognitions').execute();
}
