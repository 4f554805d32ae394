import type { Kysely } from 'kysely';
import type {
  Database,
  PopulationMarginsTable,
  SurveyEstimatesTable,
  SurveyUploadsTable,
  SurveyWaveColumnsTable,
  SurveyWavesTable,
} from '../../db/schema';
import { isNewestPlanVersion } from '../../db/newest-version';

export function findUploadRow(db: Kysely<Database>, id: string): Promise<SurveyUploadsTable | undefined> {
  return db.selectFrom('survey_uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUploadRow(db: Kysely<Database>, row: SurveyUploadsTable): Promise<void> {
  await db.insertInto('survey_uploads').values(row).execute();
}

export async function updateUploadRow(
  db: Kysely<Database>,
  id: string,
  changes: Partial<SurveyUploadsTable>,
): Promise<void> {
  await db.updateTable('survey_uploads').set(changes).where('id', '=', id).execute();
}

/** Move an upload to `to` only if it is still in one of `from` (two imports of one file cannot both start). */
export async function transitionUpload(
  db: Kysely<Database>,
  id: string,
  from: string[],
  changes: Partial<SurveyUploadsTable> & { status: string },
): Promise<boolean> {
  const r = await db
    .updateTable('survey_uploads')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function listWaveRows(db: Kysely<Database>): Promise<SurveyWavesTable[]> {
  return db.selectFrom('survey_waves').selectAll().orderBy('year', 'desc').orderBy('id', 'desc').execute();
}

export function findWaveRow(db: Kysely<Database>, id: string): Promise<SurveyWavesTable | undefined> {
  return db.selectFrom('survey_waves').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertWaveRow(db: Kysely<Database>, row: SurveyWavesTable): Promise<void> {
  await db.insertInto('survey_waves').values(row).execute();
}

/** Update guarded by the version read; false when someone else changed the row first. */
export async function updateWaveRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<SurveyWavesTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('survey_waves')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteWaveRows(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('survey_estimates').where('wave_id', '=', id).execute();
  await db.deleteFrom('survey_wave_columns').where('wave_id', '=', id).execute();
  await db.updateTable('survey_uploads').set({ wave_id: null }).where('wave_id', '=', id).execute();
  await db.deleteFrom('survey_waves').where('id', '=', id).execute();
}

/** The most recent wave whose mapping names only columns of `header` (to suggest the same mapping again). */
export function recentWaveMappings(db: Kysely<Database>, limit = 20): Promise<{ mapping_json: string }[]> {
  return db.selectFrom('survey_waves').select('mapping_json').orderBy('id', 'desc').limit(limit).execute();
}

export async function insertColumnRows(db: Kysely<Database>, rows: SurveyWaveColumnsTable[]): Promise<void> {
  // One column at a time: a column of a million numbers is a few megabytes of text.
  for (const row of rows) await db.insertInto('survey_wave_columns').values(row).execute();
}

export function columnRows(db: Kysely<Database>, waveId: string): Promise<SurveyWaveColumnsTable[]> {
  return db.selectFrom('survey_wave_columns').selectAll().where('wave_id', '=', waveId).execute();
}

export async function replaceEstimateRows(
  db: Kysely<Database>,
  waveId: string,
  rows: SurveyEstimatesTable[],
): Promise<void> {
  await db.deleteFrom('survey_estimates').where('wave_id', '=', waveId).execute();
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('survey_estimates')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

export function estimateRows(db: Kysely<Database>, waveIds: string[]): Promise<SurveyEstimatesTable[]> {
  if (waveIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('survey_estimates')
    .selectAll()
    .where('wave_id', 'in', waveIds)
    .orderBy('wave_id')
    .orderBy('sort_order')
    .execute();
}

export function marginRows(db: Kysely<Database>, year: number): Promise<PopulationMarginsTable[]> {
  return db
    .selectFrom('population_margins')
    .selectAll()
    .where('year', '=', year)
    .orderBy('sort_order')
    .execute();
}

export async function marginYears(db: Kysely<Database>): Promise<number[]> {
  const rows = await db.selectFrom('population_margins').select('year').distinct().orderBy('year').execute();
  return rows.map((r) => Number(r.year));
}

export async function replaceMarginRows(
  db: Kysely<Database>,
  year: number,
  rows: PopulationMarginsTable[],
): Promise<void> {
  await db.deleteFrom('population_margins').where('year', '=', year).execute();
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('population_margins')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

/** A wave's whole-sample estimate of `literate` by one method, with the wave's identity. */
export interface HeadlineEstimateRow {
  wave_id: string;
  name: string;
  year: number;
  is_published: number;
  scoring_rule: string;
  method: string;
  estimate: number;
  ci_low: number | null;
  ci_high: number | null;
  n: number;
}

/** Whole-sample `literate` estimates (raking and linearization) of the waves scored under `rule`, oldest first. */
export function headlineEstimateRows(
  db: Kysely<Database>,
  rule: string,
  publishedOnly: boolean,
): Promise<HeadlineEstimateRow[]> {
  let query = db
    .selectFrom('survey_estimates as e')
    .innerJoin('survey_waves as w', 'w.id', 'e.wave_id')
    .select([
      'w.id as wave_id',
      'w.name',
      'w.year',
      'w.is_published',
      'w.scoring_rule',
      'e.method',
      'e.estimate',
      'e.ci_low',
      'e.ci_high',
      'e.n',
    ])
    .where('w.scoring_rule', '=', rule)
    .where('e.by_var', 'is', null)
    .where('e.variable', '=', 'literate')
    .where('e.method', 'in', ['raking', 'linearization'])
    .orderBy('w.year')
    .orderBy('w.created_at');
  if (publishedOnly) query = query.where('w.is_published', '=', 1);
  return query.execute();
}

/**
 * The plan indicators measured by surveys (kind survey_rate) in each plan's newest version, first plan first: the
 * target the monitoring page compares a wave with.
 */
export function surveyRateIndicatorRows(db: Kysely<Database>) {
  return db
    .selectFrom('indicators as i')
    .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
    .innerJoin('plan_versions as v', 'v.id', 't.version_id')
    .innerJoin('plans as p', 'p.id', 'v.plan_id')
    .select([
      'i.id',
      'i.text',
      'i.comparator',
      'i.target_value',
      'i.deadline',
      'i.baseline_value',
      'i.baseline_year',
      'p.title as plan_title',
    ])
    .where('i.kind', '=', 'survey_rate')
    .where(isNewestPlanVersion)
    .orderBy('p.created_at')
    .orderBy('t.sort_order')
    .orderBy('i.sort_order')
    .execute();
}
