import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Documents out (issue 14): the text of each kind of generated document (进展通报, 年度实施情况报告, 督办通知书, a unit's
// year summary) as a level's admin edits it — 发文字号, title, opening, closing and issuer with {{placeholders}} for
// figures. A level without its own row uses the shipped default; edits are versioned and audited.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('document_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** bulletin | annual | notice | unit-summary. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The level whose documents use it (null: an installation without jurisdictions). */
    .addColumn('jurisdiction_id', 'text', (c) => c.references('jurisdictions.id'))
    .addColumn('doc_number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('closing', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('document_templates_kind_jur_idx')
    .on('document_templates')
    .columns(['kind', 'jurisdiction_id'])
    .unique()
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('document_templates').execute();
}
