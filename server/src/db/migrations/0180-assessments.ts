import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// 年度考核 (issue 14): rubrics per jurisdiction, year and audience; their items (points and a rule as JSON); a score
// per item and subject (computed with its explanation, the admin's override with its reason, the admin's finding for
// yes/no items); evidence and appeal files (bytes under DATA_DIR/assessment-files, or a note/link only); appeals and
// their answers; the frozen ranking (written once at freezing, never changed).

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assessment_rubrics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    /** units | counties */
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    /** draft | computed | frozen */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('appeal_start', 'text')
    .addColumn('appeal_end', 'text')
    .addColumn('computed_at', 'text')
    /** The day the computed figures stand at (the year's end, or the computing day when earlier). */
    .addColumn('as_of', 'text')
    .addColumn('frozen_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('copied_from_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('assessment_rubrics_key')
    .on('assessment_rubrics')
    .columns(['jurisdiction_id', 'year', 'audience'])
    .unique()
    .execute();

  await db.schema
    .createTable('assessment_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rubric_id', 'text', (c) => c.notNull().references('assessment_rubrics.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('points', 'double precision', (c) => c.notNull())
    .addColumn('rule_json', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessment_items_rubric').on('assessment_items').column('rubric_id').execute();

  await db.schema
    .createTable('assessment_scores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rubric_id', 'text', (c) => c.notNull().references('assessment_rubrics.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('assessment_items.id'))
    /** A unit id (audience units) or a jurisdiction id (audience counties). */
    .addColumn('subject_id', 'text', (c) => c.notNull())
    /** unit | jurisdiction, and its name when computed (what lists show without re-reading the plan). */
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_name', 'text', (c) => c.notNull())
    .addColumn('computed_score', 'double precision')
    .addColumn('explanation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('override_score', 'double precision')
    .addColumn('override_reason', 'text')
    .addColumn('override_by', 'text', (c) => c.references('users.id'))
    .addColumn('override_at', 'text')
    /** evidence / manual veto: 1 met, 0 not met, null not judged. */
    .addColumn('met', 'integer')
    .addColumn('met_note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('assessment_scores_key')
    .on('assessment_scores')
    .columns(['item_id', 'subject_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('assessment_scores_rubric')
    .on('assessment_scores')
    .column('rubric_id')
    .execute();

  await db.schema
    .createTable('assessment_appeals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rubric_id', 'text', (c) => c.notNull().references('assessment_rubrics.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('assessment_items.id'))
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    /** open | accepted | rejected */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_score', 'double precision')
    .addColumn('answered_by', 'text', (c) => c.references('users.id'))
    .addColumn('answered_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('assessment_appeals_rubric')
    .on('assessment_appeals')
    .column('rubric_id')
    .execute();

  await db.schema
    .createTable('assessment_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rubric_id', 'text', (c) => c.notNull().references('assessment_rubrics.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('assessment_items.id'))
    .addColumn('subject_id', 'text', (c) => c.notNull())
    /** Set for an appeal's file; null for evidence of the item. */
    .addColumn('appeal_id', 'text', (c) => c.references('assessment_appeals.id'))
    .addColumn('note', 'text')
    .addColumn('link', 'text')
    .addColumn('file_name', 'text')
    .addColumn('mime', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('sha256', 'text')
    /** Relative to DATA_DIR (assessment-files/<year>/<id>); null for a note or link. */
    .addColumn('storage_path', 'text')
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessment_files_rubric').on('assessment_files').column('rubric_id').execute();

  await db.schema
    .createTable('assessment_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rubric_id', 'text', (c) => c.notNull().references('assessment_rubrics.id'))
    /** unit | jurisdiction */
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('subject_name', 'text', (c) => c.notNull())
    .addColumn('total', 'double precision', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('vetoed', 'integer', (c) => c.notNull())
    .addColumn('veto_reason', 'text')
    /** The item scores as frozen (JSON array of { itemId, score, explanation, overrideReason }). */
    .addColumn('items_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('assessment_results_key')
    .on('assessment_results')
    .columns(['rubric_id', 'subject_id'])
    .unique()
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'assessment_results',
    'assessment_files',
    'assessment_appeals',
    'assessment_scores',
    'assessment_items',
    'assessment_rubrics',
  ])
    await db.schema.dropTable(t).execute();
}
