import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// A county's task linked to the city task(s) it implements. kesu proposes links ('proposed'), the county admin confirms
// ('confirmed') or rejects them ('rejected': not proposed again).

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('task_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().references('plan_tasks.id'))
    .addColumn('target_task_id', 'text', (c) => c.notNull().references('plan_tasks.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    /** How alike the two tasks are, 0–100 (the proposal's score). */
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON array of the reasons, in words. */
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('task_links_pair', ['task_id', 'target_task_id'])
    .execute();
  await db.schema.createIndex('task_links_target_idx').on('task_links').column('target_task_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('task_links').execute();
}
