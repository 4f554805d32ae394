import type { Kysely } from 'kysely';
import type {
  AssessmentAppealsTable,
  AssessmentFilesTable,
  AssessmentItemsTable,
  AssessmentResultsTable,
  AssessmentRubricsTable,
  AssessmentScoresTable,
  Database,
} from '../../db/schema';

/** A rubric with its jurisdiction's name and path (permission checks need the path). */
export type RubricRow = AssessmentRubricsTable & { jurisdiction_name: string; jurisdiction_path: string };

function rubricQuery(db: Kysely<Database>) {
  return db
    .selectFrom('assessment_rubrics as r')
    .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
    .selectAll('r')
    .select(['j.name as jurisdiction_name', 'j.path as jurisdiction_path']);
}

export function findRubricRow(db: Kysely<Database>, id: string): Promise<RubricRow | undefined> {
  return rubricQuery(db).where('r.id', '=', id).executeTakeFirst();
}

export function findRubricByKey(
  db: Kysely<Database>,
  jurisdictionId: string,
  year: number,
  audience: string,
): Promise<RubricRow | undefined> {
  return rubricQuery(db)
    .where('r.jurisdiction_id', '=', jurisdictionId)
    .where('r.year', '=', year)
    .where('r.audience', '=', audience)
    .executeTakeFirst();
}

/** Rubrics of jurisdictions on a path (ancestors and the level itself) or below it, newest year first. */
export function rubricRows(
  db: Kysely<Database>,
  q: { withinPath?: string | null; jurisdictionIds?: string[]; year?: number; audience?: string },
): Promise<RubricRow[]> {
  return rubricQuery(db)
    .$if(q.withinPath != null, (b) => b.where('j.path', 'like', `${q.withinPath}%`))
    .$if(q.jurisdictionIds !== undefined, (b) =>
      q.jurisdictionIds!.length === 0
        ? b.where('r.id', '=', '')
        : b.where('r.jurisdiction_id', 'in', q.jurisdictionIds!),
    )
    .$if(q.year !== undefined, (b) => b.where('r.year', '=', q.year!))
    .$if(q.audience !== undefined, (b) => b.where('r.audience', '=', q.audience!))
    .orderBy('r.year', 'desc')
    .orderBy('r.audience')
    .orderBy('r.id')
    .execute();
}

/** Frozen and published rubrics (the public ranking), newest first. */
export function publishedRubricRows(db: Kysely<Database>): Promise<RubricRow[]> {
  return rubricQuery(db)
    .where('r.state', '=', 'frozen')
    .where('r.published_at', 'is not', null)
    .orderBy('r.year', 'desc')
    .orderBy('r.published_at', 'desc')
    .execute();
}

export async function insertRubricRow(db: Kysely<Database>, row: AssessmentRubricsTable): Promise<void> {
  await db.insertInto('assessment_rubrics').values(row).execute();
}

/** Update a rubric at its version (bumped); false when someone changed it first. */
export async function updateRubricRow(
  db: Kysely<Database>,
  id: string,
  version: number,
  patch: Partial<Omit<AssessmentRubricsTable, 'id' | 'version'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('assessment_rubrics')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function itemRows(db: Kysely<Database>, rubricIds: string[]): Promise<AssessmentItemsTable[]> {
  if (rubricIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('assessment_items')
    .selectAll()
    .where('rubric_id', 'in', rubricIds)
    .orderBy('rubric_id')
    .orderBy('sort_order')
    .execute();
}

/** Replace a draft rubric's items (a draft has no scores, appeals or files yet). */
export async function replaceItemRows(
  db: Kysely<Database>,
  rubricId: string,
  rows: AssessmentItemsTable[],
): Promise<void> {
  await db.deleteFrom('assessment_scores').where('rubric_id', '=', rubricId).execute();
  await db.deleteFrom('assessment_items').where('rubric_id', '=', rubricId).execute();
  if (rows.length > 0) await db.insertInto('assessment_items').values(rows).execute();
}

export function scoreRows(db: Kysely<Database>, rubricId: string): Promise<AssessmentScoresTable[]> {
  return db
    .selectFrom('assessment_scores')
    .selectAll()
    .where('rubric_id', '=', rubricId)
    .orderBy('item_id')
    .orderBy('subject_id')
    .execute();
}

export function findScoreRow(
  db: Kysely<Database>,
  itemId: string,
  subjectId: string,
): Promise<AssessmentScoresTable | undefined> {
  return db
    .selectFrom('assessment_scores')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
}

export async function insertScoreRow(db: Kysely<Database>, row: AssessmentScoresTable): Promise<void> {
  await db.insertInto('assessment_scores').values(row).execute();
}

export async function updateScoreRow(
  db: Kysely<Database>,
  id: string,
  patch: Partial<Omit<AssessmentScoresTable, 'id' | 'rubric_id' | 'item_id' | 'subject_id'>>,
): Promise<void> {
  await db.updateTable('assessment_scores').set(patch).where('id', '=', id).execute();
}

export function appealRows(db: Kysely<Database>, rubricId: string): Promise<AssessmentAppealsTable[]> {
  return db
    .selectFrom('assessment_appeals')
    .selectAll()
    .where('rubric_id', '=', rubricId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findAppealRow(db: Kysely<Database>, id: string): Promise<AssessmentAppealsTable | undefined> {
  return db.selectFrom('assessment_appeals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAppealRow(db: Kysely<Database>, row: AssessmentAppealsTable): Promise<void> {
  await db.insertInto('assessment_appeals').values(row).execute();
}

/** Answer an open appeal; false when it was answered meanwhile. */
export async function answerAppealRow(
  db: Kysely<Database>,
  id: string,
  patch: Pick<AssessmentAppealsTable, 'state' | 'answer' | 'answered_score' | 'answered_by' | 'answered_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('assessment_appeals')
    .set(patch)
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function fileRows(db: Kysely<Database>, rubricId: string): Promise<AssessmentFilesTable[]> {
  return db
    .selectFrom('assessment_files')
    .selectAll()
    .where('rubric_id', '=', rubricId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findFileRow(
  db: Kysely<Database>,
  rubricId: string,
  id: string,
): Promise<AssessmentFilesTable | undefined> {
  return db
    .selectFrom('assessment_files')
    .selectAll()
    .where('rubric_id', '=', rubricId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertFileRow(db: Kysely<Database>, row: AssessmentFilesTable): Promise<void> {
  await db.insertInto('assessment_files').values(row).execute();
}

export function resultRows(db: Kysely<Database>, rubricIds: string[]): Promise<AssessmentResultsTable[]> {
  if (rubricIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('assessment_results')
    .selectAll()
    .where('rubric_id', 'in', rubricIds)
    .orderBy('rubric_id')
    .orderBy('rank')
    .orderBy('subject_name')
    .execute();
}

export async function insertResultRows(db: Kysely<Database>, rows: AssessmentResultsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('assessment_results').values(rows).execute();
}
