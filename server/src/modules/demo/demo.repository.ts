import type { ExpressionBuilder, Kysely } from 'kysely';
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
export function planForDemo(
  db: Kysely<Database>,
  planId?: string,
): Promise<{ id: string; jurisdiction_id: string | null; doc_number: string | null } | undefined> {
  const q = db.selectFrom('plans').select(['id', 'jurisdiction_id', 'doc_number']);
  return planId
    ? q.where('id', '=', planId).executeTakeFirst()
    : q.orderBy('created_at').orderBy('id').executeTakeFirst();
}

/** Mark rows another module made for the demo (its units, its county plans) with the batch. */
export async function markDemoRows(
  db: Kysely<Database>,
  table: 'plans' | 'units' | 'allocations',
  ids: string[],
  batchId: string,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable(table)
      .set({ demo_batch_id: batchId })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

/** Mark the allocations of an indicator the demo assigned down. */
export async function markDemoAllocations(
  db: Kysely<Database>,
  indicatorId: string,
  batchId: string,
): Promise<void> {
  await db
    .updateTable('allocations')
    .set({ demo_batch_id: batchId })
    .where('indicator_id', '=', indicatorId)
    .execute();
}

/** The demo's own plans (the counties' 实施方案) with their jurisdictions, in the jurisdictions' order. */
export function demoPlanRows(db: Kysely<Database>) {
  return db
    .selectFrom('plans as p')
    .innerJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select(['p.id', 'p.jurisdiction_id', 'j.name as jurisdiction_name', 'j.government_unit_id'])
    .where('p.demo_batch_id', 'is not', null)
    .orderBy('j.sort_order')
    .orderBy('j.name')
    .execute();
}

/** Rows hanging off some plans, per table (versions, tasks, their units, indicators, breakdowns, links). */
export async function planRowCounts(
  db: Kysely<Database>,
  planIds: string[],
): Promise<Record<string, number>> {
  if (planIds.length === 0) return {};
  const versions = db.selectFrom('plan_versions').select('id').where('plan_id', 'in', planIds);
  const tasks = db.selectFrom('plan_tasks').select('id').where('version_id', 'in', versions);
  const indicators = db.selectFrom('indicators').select('id').where('task_id', 'in', tasks);
  const n = (eb: ExpressionBuilder<Database, keyof Database>) => eb.fn.countAll().as('n');
  const counted = [
    ['plan_versions', db.selectFrom('plan_versions').select(n).where('plan_id', 'in', planIds)],
    ['plan_tasks', db.selectFrom('plan_tasks').select(n).where('version_id', 'in', versions)],
    ['plan_task_units', db.selectFrom('plan_task_units').select(n).where('task_id', 'in', tasks)],
    ['indicators', db.selectFrom('indicators').select(n).where('task_id', 'in', tasks)],
    [
      'indicator_breakdowns',
      db.selectFrom('indicator_breakdowns').select(n).where('indicator_id', 'in', indicators),
    ],
    ['task_links', db.selectFrom('task_links').select(n).where('task_id', 'in', tasks)],
  ] as const;
  const out: Record<string, number> = { plans: planIds.length };
  for (const [table, q] of counted) out[table] = Number((await q.executeTakeFirstOrThrow()).n);
  return out;
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
        // Registry-bound indicators are computed from the (demo) registries, never reported.
        .where('id', 'not in', db.selectFrom('indicator_bindings').select('indicator_id'))
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
 * real ones too, as they belong to a demo report), the demo cycles no real report uses, the demo's county plans and
 * units (deleteDemoPlans, deleteDemoUnits), the demo survey wave with its columns and estimates, and the batches.
 * `unitReferences`: every column that refers to a unit (the units module's list). Returns rows deleted per table.
 */
export async function deleteDemoRows(
  trx: Kysely<Database>,
  ids: string[],
  unitReferences: readonly { table: keyof Database; column: string }[],
): Promise<Record<string, number>> {
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
  Object.assign(counts, await deleteDemoResources(trx, ids));
  Object.assign(counts, await deleteDemoAllocations(trx, ids));
  Object.assign(counts, await deleteDemoPlans(trx, ids));
  Object.assign(counts, await deleteDemoUnits(trx, ids, unitReferences));
  const demoWaves = trx.selectFrom('survey_waves').select('id').where('demo_batch_id', 'in', ids);
  await del('survey_estimates', trx.deleteFrom('survey_estimates').where('wave_id', 'in', demoWaves));
  await del('survey_wave_columns', trx.deleteFrom('survey_wave_columns').where('wave_id', 'in', demoWaves));
  await del('survey_waves', trx.deleteFrom('survey_waves').where('demo_batch_id', 'in', ids));
  await del('demo_batches', trx.deleteFrom('demo_batches').where('id', 'in', ids));
  return counts;
}

/**
 * The demo's 分解下达 of a city indicator: its allocations go, and the city indicator is restored — its county targets
 * removed and its breakdown by county switched back off — unless a real assignment of the same indicator remains.
 */
async function deleteDemoAllocations(trx: Kysely<Database>, ids: string[]): Promise<Record<string, number>> {
  const rows = await trx
    .selectFrom('allocations')
    .select(['indicator_id'])
    .where('demo_batch_id', 'in', ids)
    .execute();
  if (rows.length === 0) return {};
  const indicatorIds = [...new Set(rows.map((r) => r.indicator_id))];
  const allocations = await deleted(trx.deleteFrom('allocations').where('demo_batch_id', 'in', ids));
  const stillAssigned = new Set(
    (
      await trx
        .selectFrom('allocations')
        .select('indicator_id')
        .where('indicator_id', 'in', indicatorIds)
        .execute()
    ).map((r) => r.indicator_id),
  );
  const restore = indicatorIds.filter((id) => !stillAssigned.has(id));
  if (restore.length === 0) return { allocations };
  const breakdowns = await deleted(
    trx.deleteFrom('indicator_breakdowns').where('indicator_id', 'in', restore),
  );
  await trx
    .updateTable('indicators')
    .set((eb) => ({ breakdown_by_county: 0, version: eb('version', '+', 1) }))
    .where('id', 'in', restore)
    .execute();
  return { allocations, indicator_breakdowns_city: breakdowns };
}

type Deletion = { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> };
const deleted = async (q: Deletion) => Number((await q.executeTakeFirst()).numDeletedRows);

/**
 * The batches' plans (the counties' 实施方案) with everything hanging off them: versions, tasks, their units,
 * indicators, breakdowns and task links (both ways). Run after the demo reports and cycles are gone, so a demo plan
 * that real work came to depend on — a cycle or a report of its own, a dashboard snapshot, a link from a task of a
 * plan that stays — is the one still referenced: it stays, as real (its mark cleared), with its content.
 */
async function deleteDemoPlans(trx: Kysely<Database>, ids: string[]): Promise<Record<string, number>> {
  const demo = (await trx.selectFrom('plans').select('id').where('demo_batch_id', 'in', ids).execute()).map(
    (p) => p.id,
  );
  if (demo.length === 0) return {};
  const used = new Set<string>();
  const add = (rows: { plan_id: string }[]) => {
    for (const r of rows) used.add(r.plan_id);
  };
  add(await trx.selectFrom('reporting_cycles').select('plan_id').where('plan_id', 'in', demo).execute());
  add(await trx.selectFrom('dashboard_snapshots').select('plan_id').where('plan_id', 'in', demo).execute());
  add(
    await trx
      .selectFrom('progress_reports as r')
      .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
      .innerJoin('plan_versions as v', 'v.id', 't.version_id')
      .select('v.plan_id')
      .where('v.plan_id', 'in', demo)
      .execute(),
  );
  add(
    await trx
      .selectFrom('task_links as l')
      .innerJoin('plan_tasks as t', 't.id', 'l.target_task_id')
      .innerJoin('plan_versions as v', 'v.id', 't.version_id')
      .innerJoin('plan_tasks as s', 's.id', 'l.task_id')
      .innerJoin('plan_versions as sv', 'sv.id', 's.version_id')
      .select('v.plan_id')
      .where('v.plan_id', 'in', demo)
      .where('sv.plan_id', 'not in', demo)
      .execute(),
  );
  const gone = demo.filter((id) => !used.has(id));
  const counts: Record<string, number> = {};
  if (used.size > 0) {
    await trx
      .updateTable('plans')
      .set({ demo_batch_id: null })
      .where('id', 'in', [...used])
      .execute();
    counts.plans_kept = used.size;
  }
  if (gone.length === 0) return counts;
  const versions = trx.selectFrom('plan_versions').select('id').where('plan_id', 'in', gone);
  const tasks = trx.selectFrom('plan_tasks').select('id').where('version_id', 'in', versions);
  const indicators = trx.selectFrom('indicators').select('id').where('task_id', 'in', tasks);
  // A real 分解下达 that reached a demo county plan keeps its targets; the county has no task for it any more.
  await trx
    .updateTable('allocations')
    .set({ county_task_id: null, county_indicator_id: null })
    .where('county_task_id', 'in', tasks)
    .execute();
  counts.task_links = await deleted(
    trx
      .deleteFrom('task_links')
      .where((eb) => eb.or([eb('task_id', 'in', tasks), eb('target_task_id', 'in', tasks)])),
  );
  counts.indicator_breakdowns = await deleted(
    trx.deleteFrom('indicator_breakdowns').where('indicator_id', 'in', indicators),
  );
  counts.indicator_bindings = await deleted(
    trx.deleteFrom('indicator_bindings').where('indicator_id', 'in', indicators),
  );
  counts.indicators = await deleted(trx.deleteFrom('indicators').where('task_id', 'in', tasks));
  counts.plan_task_units = await deleted(trx.deleteFrom('plan_task_units').where('task_id', 'in', tasks));
  // Children before parents: a task's parent is a task of the same version.
  await trx.updateTable('plan_tasks').set({ parent_id: null }).where('version_id', 'in', versions).execute();
  counts.plan_tasks = await deleted(trx.deleteFrom('plan_tasks').where('version_id', 'in', versions));
  counts.plan_versions = await deleted(trx.deleteFrom('plan_versions').where('plan_id', 'in', gone));
  counts.plans = await deleted(trx.deleteFrom('plans').where('id', 'in', gone));
  return counts;
}

/**
 * The batches' units (those the county plans name), once their plans are gone. A unit real data refers to — an
 * account, a real plan's task or breakdown, a report, a 督办, a notification, a merge, a jurisdiction — stays, as real
 * (its mark cleared).
 */
async function deleteDemoUnits(
  trx: Kysely<Database>,
  ids: string[],
  unitReferences: readonly { table: keyof Database; column: string }[],
): Promise<Record<string, number>> {
  const demo = (await trx.selectFrom('units').select('id').where('demo_batch_id', 'in', ids).execute()).map(
    (u) => u.id,
  );
  if (demo.length === 0) return {};
  const used = new Set<string>();
  const references = [
    ...unitReferences,
    { table: 'units', column: 'merged_into_id' },
    { table: 'jurisdictions', column: 'government_unit_id' },
  ] as const;
  for (const ref of references) {
    // The table and column names come from the constant lists, never from input.
    let q = trx
      // biome-ignore lint/suspicious/noExplicitAny: the reference list spans tables whose column types differ
      .selectFrom(ref.table as any)
      .select(`${ref.column} as id`)
      .where(ref.column, 'in', demo);
    // A demo unit merged into another demo unit goes with it.
    if (ref.table === 'units') q = q.where('demo_batch_id', 'is', null);
    for (const r of (await q.execute()) as { id: string }[]) used.add(r.id);
  }
  const gone = demo.filter((id) => !used.has(id));
  const counts: Record<string, number> = {};
  if (used.size > 0) {
    await trx
      .updateTable('units')
      .set({ demo_batch_id: null })
      .where('id', 'in', [...used])
      .execute();
    counts.units_kept = used.size;
  }
  if (gone.length > 0) counts.units = await deleted(trx.deleteFrom('units').where('id', 'in', gone));
  return counts;
}

/**
 * What the demo's resources need to know of the city: its child levels with the unit standing for each and a unit of
 * the level's own (its 科协, else any), the city's units by short name, and the levels and years that already have
 * 科普经费 or a standard (real figures are never doubled or overwritten).
 */
export async function demoResourceContext(db: Kysely<Database>, cityJurisdictionId: string) {
  const city = await db
    .selectFrom('jurisdictions')
    .select(['id', 'name'])
    .where('id', '=', cityJurisdictionId)
    .executeTakeFirst();
  const children = await db
    .selectFrom('jurisdictions')
    .select(['id', 'name', 'short_name', 'level', 'government_unit_id'])
    .where('parent_id', '=', cityJurisdictionId)
    .orderBy('sort_order')
    .orderBy('name')
    .execute();
  const units = await db
    .selectFrom('units')
    .select(['id', 'short_name', 'jurisdiction_id'])
    .where('is_active', '=', 1)
    .where('merged_into_id', 'is', null)
    .orderBy('sort_order')
    .orderBy('name')
    .execute();
  const funded = await db.selectFrom('funding').select(['jurisdiction_id', 'year']).execute();
  const standards = await db.selectFrom('funding_standards').select(['jurisdiction_id', 'year']).execute();
  return { city, children, units, funded, standards };
}

/**
 * The batches' resources, activities, 科普经费, standards and content items, with what hangs off them: volunteer
 * service records of demo volunteers, co-organisers and files of demo activities (their stored files are listed by
 * demoActivityFilePaths). Real rows pointing at demo ones let go: a real activity reported as the duplicate of a demo
 * one becomes the counted one, a real volunteer of a demo team loses the team, a real service record its activity.
 */
async function deleteDemoResources(trx: Kysely<Database>, ids: string[]): Promise<Record<string, number>> {
  const demoActivities = trx.selectFrom('activities').select('id').where('demo_batch_id', 'in', ids);
  const demoResources = trx.selectFrom('resources').select('id').where('demo_batch_id', 'in', ids);
  const counts: Record<string, number> = {};
  counts.volunteer_services = await deleted(
    trx
      .deleteFrom('volunteer_services')
      .where((eb) => eb.or([eb('demo_batch_id', 'in', ids), eb('volunteer_id', 'in', demoResources)])),
  );
  await trx
    .updateTable('volunteer_services')
    .set({ activity_id: null })
    .where('activity_id', 'in', demoActivities)
    .execute();
  counts.activity_coorganisers = await deleted(
    trx.deleteFrom('activity_coorganisers').where('activity_id', 'in', demoActivities),
  );
  counts.activity_files = await deleted(
    trx.deleteFrom('activity_files').where('activity_id', 'in', demoActivities),
  );
  await trx
    .updateTable('activities')
    .set({ duplicate_of: null })
    .where('duplicate_of', 'in', demoActivities)
    .where('demo_batch_id', 'is', null)
    .execute();
  await trx.updateTable('activities').set({ duplicate_of: null }).where('demo_batch_id', 'in', ids).execute();
  counts.activities = await deleted(trx.deleteFrom('activities').where('demo_batch_id', 'in', ids));
  await trx
    .updateTable('resources')
    .set({ parent_id: null })
    .where('parent_id', 'in', demoResources)
    .execute();
  counts.resources = await deleted(trx.deleteFrom('resources').where('demo_batch_id', 'in', ids));
  counts.funding = await deleted(trx.deleteFrom('funding').where('demo_batch_id', 'in', ids));
  counts.funding_standards = await deleted(
    trx.deleteFrom('funding_standards').where('demo_batch_id', 'in', ids),
  );
  counts.content_items = await deleted(trx.deleteFrom('content_items').where('demo_batch_id', 'in', ids));
  return counts;
}

/** Storage paths of files attached to the batches' activities (unlinked after the commit). */
export async function demoActivityFilePaths(db: Kysely<Database>, ids: string[]): Promise<string[]> {
  const demoActivities = db.selectFrom('activities').select('id').where('demo_batch_id', 'in', ids);
  const rows = await db
    .selectFrom('activity_files')
    .select('storage_path')
    .where('activity_id', 'in', demoActivities)
    .execute();
  return rows.map((r) => r.storage_path);
}
