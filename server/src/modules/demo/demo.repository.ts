import type { Kysely } from 'kysely';
import type { Database, DemoBatchesTable } from '../../db/schema';

/** Rows inserted per statement (keeps PostgreSQL's parameter limit far away). */
const CHUNK = 200;

/** Insert typed rows of one table in chunks. */
export async function insertChunks<T extends keyof Database>(
  trx: Kysely<Database>,
  table: T,
  rows: Database[T][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto(table)
      // biome-ignore lint/suspicious/noExplicitAny: generic bulk insert of typed rows
      .values(rows.slice(i, i + CHUNK) as any)
      .execute();
  }
}

export function firstDemoBatch(db: Kysely<Database>): Promise<DemoBatchesTable | undefined> {
  return db.selectFrom('demo_batches').selectAll().orderBy('created_at').executeTakeFirst();
}

export async function demoBatchIds(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('demo_batches').select('id').execute()).map((b) => b.id);
}

/** The plan named, or the first plan (the sample). */
export function planForDemo(db: Kysely<Database>, planId?: string): Promise<{ id: string } | undefined> {
  const q = db.selectFrom('plans').select(['id']);
  return planId
    ? q.where('id', '=', planId).executeTakeFirst()
    : q.orderBy('created_at').orderBy('id').executeTakeFirst();
}

export async function insertDemoBatch(db: Kysely<Database>, row: DemoBatchesTable): Promise<void> {
  await db.insertInto('demo_batches').values(row).execute();
}

export async function setDemoBatchCounts(
  db: Kysely<Database>,
  id: string,
  counts: Record<string, number>,
): Promise<void> {
  await db
    .updateTable('demo_batches')
    .set({ counts: JSON.stringify(counts) })
    .where('id', '=', id)
    .execute();
}

/** The plan's cycles whose period ended before `day`, oldest first. */
export function cyclesEndedBefore(db: Kysely<Database>, planId: string, day: string) {
  return db
    .selectFrom('reporting_cycles')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('period_end', '<', day)
    .orderBy('period_end')
    .execute();
}

/** The latest indicator deadline of a plan version (the end of its period), or null. */
export async function latestDeadline(db: Kysely<Database>, versionId: string): Promise<string | null> {
  const r = await db
    .selectFrom('indicators as i')
    .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
    .select((e) => e.fn.max('i.deadline').as('d'))
    .where('t.version_id', '=', versionId)
    .executeTakeFirst();
  return (r?.d as string | null | undefined) ?? null;
}

/** What the plan versions ask of whom: tasks, assignments (with the unit's kind), counted indicators, breakdowns. */
export async function demoPlanContent(db: Kysely<Database>, versionIds: string[]) {
  const tasks = await db
    .selectFrom('plan_tasks')
    .select(['id', 'version_id', 'path', 'sort_order'])
    .where('version_id', 'in', versionIds)
    .execute();
  const taskIds = tasks.map((t) => t.id);
  const assignments = taskIds.length
    ? await db
        .selectFrom('plan_task_units as a')
        .innerJoin('units as u', 'u.id', 'a.unit_id')
        .select(['a.task_id', 'a.unit_id', 'a.role', 'a.sort_order', 'u.kind as unit_kind'])
        .where('a.task_id', 'in', taskIds)
        .orderBy('a.task_id')
        .orderBy('a.sort_order')
        .execute()
    : [];
  const indicators = taskIds.length
    ? await db
        .selectFrom('indicators')
        .selectAll()
        .where('task_id', 'in', taskIds)
        .where('kind', 'in', ['cumulative', 'annual'])
        .orderBy('task_id')
        .orderBy('sort_order')
        .execute()
    : [];
  const breakdowns = indicators.length
    ? await db
        .selectFrom('indicator_breakdowns')
        .selectAll()
        .where(
          'indicator_id',
          'in',
          indicators.map((i) => i.id),
        )
        .execute()
    : [];
  return { tasks, assignments, indicators, breakdowns };
}

/** Storage paths of the evidence files of the batches' reports (unlinked after the commit). */
export async function demoAttachmentPaths(db: Kysely<Database>, ids: string[]): Promise<string[]> {
  const demoReports = db.selectFrom('progress_reports').select('id').where('demo_batch_id', 'in', ids);
  const rows = await db
    .selectFrom('report_attachments')
    .select('storage_path')
    .where('report_id', 'in', demoReports)
    .execute();
  return rows.map((a) => a.storage_path);
}

/**
 * Delete exactly the batches' rows: their reports with everything hanging off them (values, events, evidence rows —
 * real ones too, as they belong to a demo report), the demo cycles no real report uses, the demo survey wave with
 * its columns and estimates, and the batches. Returns rows deleted per table.
 */
export async function deleteDemoRows(trx: Kysely<Database>, ids: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const demoReports = trx.selectFrom('progress_reports').select('id').where('demo_batch_id', 'in', ids);
  const del = async (name: string, q: { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> }) => {
    counts[name] = (counts[name] ?? 0) + Number((await q.executeTakeFirst()).numDeletedRows);
  };
  await del('report_attachments', trx.deleteFrom('report_attachments').where('report_id', 'in', demoReports));
  await del('report_values', trx.deleteFrom('report_values').where('report_id', 'in', demoReports));
  await del('report_events', trx.deleteFrom('report_events').where('report_id', 'in', demoReports));
  // A real report pre-filled from a demo one keeps its values; only the link goes.
  await trx
    .updateTable('progress_reports')
    .set({ prefilled_from_id: null })
    .where('demo_batch_id', 'is', null)
    .where('prefilled_from_id', 'in', demoReports)
    .execute();
  await del('progress_reports', trx.deleteFrom('progress_reports').where('demo_batch_id', 'in', ids));
  await del(
    'reporting_cycles',
    trx
      .deleteFrom('reporting_cycles')
      .where('demo_batch_id', 'in', ids)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('progress_reports as r')
              .select('r.id')
              .whereRef('r.cycle_id', '=', 'reporting_cycles.id'),
          ),
        ),
      ),
  );
  const demoWaves = trx.selectFrom('survey_waves').select('id').where('demo_batch_id', 'in', ids);
  await del('survey_estimates', trx.deleteFrom('survey_estimates').where('wave_id', 'in', demoWaves));
  await del('survey_wave_columns', trx.deleteFrom('survey_wave_columns').where('wave_id', 'in', demoWaves));
  await del('survey_waves', trx.deleteFrom('survey_waves').where('demo_batch_id', 'in', ids));
  await del('demo_batches', trx.deleteFrom('demo_batches').where('id', 'in', ids));
  return counts;
}
