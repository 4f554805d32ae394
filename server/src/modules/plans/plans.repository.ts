import type { ExpressionBuilder, Kysely } from 'kysely';
import { jurisdictionsWithin } from '../../db/jurisdiction-scope';
import { toCount } from '../../db/dialect';
import type {
  Database,
  IndicatorBindingsTable,
  IndicatorBreakdownsTable,
  IndicatorsTable,
  PlansTable,
  PlanTasksTable,
  PlanTaskUnitsTable,
  PlanVersionsTable,
  TaskLinksTable,
} from '../../db/schema';
import { isNewestPlanVersion } from '../../db/newest-version';

/** A version row without its (possibly large) source text. */
export type VersionHead = Omit<PlanVersionsTable, 'source_text'>;

/** An assignment with the unit it names. */
export interface AssignmentRow extends PlanTaskUnitsTable {
  unit_name: string;
  unit_short_name: string;
  unit_kind: string;
}

export interface BreakdownRow extends IndicatorBreakdownsTable {
  unit_name: string;
}

const VERSION_HEAD = [
  'id',
  'plan_id',
  'number',
  'title',
  'issuer',
  'doc_number',
  'doc_date',
  'file_name',
  'note',
  'source_sha256',
  'warnings',
  'is_published',
  'published_at',
  'created_by',
  'created_at',
] as const;

/** Rows are inserted in chunks so no statement exceeds either engine's parameter limit. */
async function insertChunked<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  rows: Database[T][],
  chunk = 200,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto(table)
      // biome-ignore lint/suspicious/noExplicitAny: one helper for every plan table's row type
      .values(rows.slice(i, i + chunk) as any)
      .execute();
  }
}

export function findPlanRow(db: Kysely<Database>, id: string): Promise<PlansTable | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of plans; `withinPath` keeps those of that jurisdiction subtree (null: every plan). */
export async function listPlanRows(
  db: Kysely<Database>,
  page: number,
  pageSize: number,
  onlyPublished = false,
  withinPath: string | null = null,
): Promise<{ rows: PlansTable[]; total: number }> {
  let base = db.selectFrom('plans');
  if (withinPath !== null) {
    base = base.where('jurisdiction_id', 'in', jurisdictionsWithin(db, withinPath));
  }
  if (onlyPublished) {
    // The public never reads the demo's invented county plans.
    base = base
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('plan_versions as v')
            .select('v.id')
            .whereRef('v.plan_id', '=', 'plans.id')
            .where('v.is_published', '=', 1),
        ),
      )
      .where('plans.demo_batch_id', 'is', null);
  }
  // The higher level's plans first (the city's before its counties': a jurisdiction's path grows with its depth),
  // then the newest.
  const depth = (eb: ExpressionBuilder<Database, 'plans'>) =>
    eb
      .selectFrom('jurisdictions as j')
      .select((x) => x.fn<number>('length', ['j.path']).as('d'))
      .whereRef('j.id', '=', 'plans.jurisdiction_id');
  const [rows, count] = await Promise.all([
    base
      .selectAll('plans')
      .orderBy((eb) => depth(eb), 'asc')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: toCount(count.n) };
}

/** Plans whose title or document number equal the given ones (candidates for a revised document). */
/** The plans whose latest version was imported from exactly this source text (by its SHA-256). */
export function latestVersionsWithSource(db: Kysely<Database>, sha256: string) {
  return db
    .selectFrom('plan_versions as v')
    .innerJoin('plans as p', 'p.id', 'v.plan_id')
    .select(['p.id as planId', 'p.title as planTitle', 'v.number as versionNumber'])
    .where('v.source_sha256', '=', sha256)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('plan_versions as later')
            .select('later.id')
            .whereRef('later.plan_id', '=', 'v.plan_id')
            .whereRef('later.number', '>', 'v.number'),
        ),
      ),
    )
    .execute();
}

export function findPlansLike(
  db: Kysely<Database>,
  title: string | null,
  docNumber: string | null,
): Promise<PlansTable[]> {
  if (!title && !docNumber) return Promise.resolve([]);
  return db
    .selectFrom('plans')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(title ? [eb('title', '=', title)] : []),
        ...(docNumber ? [eb('doc_number', '=', docNumber)] : []),
      ]),
    )
    .orderBy('created_at', 'desc')
    .execute();
}

export async function insertPlanRow(db: Kysely<Database>, row: PlansTable): Promise<void> {
  await db.insertInto('plans').values(row).execute();
}

/** Update guarded by the version read; false when someone else changed the plan first. */
export async function updatePlanRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<PlansTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('plans')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Version heads of some plans, newest first. */
export function versionHeads(db: Kysely<Database>, planIds: string[]): Promise<VersionHead[]> {
  if (planIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('plan_versions')
    .select(VERSION_HEAD)
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('number', 'desc')
    .execute();
}

export function findVersionHead(db: Kysely<Database>, id: string): Promise<VersionHead | undefined> {
  return db.selectFrom('plan_versions').select(VERSION_HEAD).where('id', '=', id).executeTakeFirst();
}

export async function insertVersionRow(db: Kysely<Database>, row: PlanVersionsTable): Promise<void> {
  await db.insertInto('plan_versions').values(row).execute();
}

/** Make `versionId` the one published version of its plan (or none, with null). */
export async function setPublishedVersion(
  db: Kysely<Database>,
  planId: string,
  versionId: string | null,
  at: string,
): Promise<void> {
  await db
    .updateTable('plan_versions')
    .set({ is_published: 0, published_at: null })
    .where('plan_id', '=', planId)
    .where('is_published', '=', 1)
    .execute();
  if (versionId) {
    await db
      .updateTable('plan_versions')
      .set({ is_published: 1, published_at: at })
      .where('id', '=', versionId)
      .execute();
  }
}

/** Number of tasks and indicators of each version. */
export async function versionCounts(
  db: Kysely<Database>,
  versionIds: string[],
): Promise<Map<string, { tasks: number; indicators: number }>> {
  const out = new Map<string, { tasks: number; indicators: number }>();
  if (versionIds.length === 0) return out;
  const [tasks, indicators] = await Promise.all([
    db
      .selectFrom('plan_tasks')
      .select((eb) => ['version_id', eb.fn.countAll().as('n')])
      .where('version_id', 'in', versionIds)
      .groupBy('version_id')
      .execute(),
    db
      .selectFrom('indicators as i')
      .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
      .select((eb) => ['t.version_id', eb.fn.countAll().as('n')])
      .where('t.version_id', 'in', versionIds)
      .groupBy('t.version_id')
      .execute(),
  ]);
  for (const id of versionIds) out.set(id, { tasks: 0, indicators: 0 });
  for (const r of tasks) out.get(r.version_id)!.tasks = toCount(r.n);
  for (const r of indicators) out.get(r.version_id)!.indicators = toCount(r.n);
  return out;
}

export async function insertVersionContent(
  db: Kysely<Database>,
  content: {
    tasks: PlanTasksTable[];
    assignments: PlanTaskUnitsTable[];
    indicators: IndicatorsTable[];
  },
): Promise<void> {
  await insertChunked(db, 'plan_tasks', content.tasks);
  await insertChunked(db, 'plan_task_units', content.assignments);
  await insertChunked(db, 'indicators', content.indicators);
}

export function taskRowsOfVersion(db: Kysely<Database>, versionId: string): Promise<PlanTasksTable[]> {
  return db
    .selectFrom('plan_tasks')
    .selectAll()
    .where('version_id', '=', versionId)
    .orderBy('sort_order')
    .execute();
}

/** Assignments, indicators and breakdowns of a version's tasks (or of the given tasks only). */
export async function contentOfTasks(
  db: Kysely<Database>,
  scope: { versionId: string } | { taskIds: string[] },
): Promise<{ assignments: AssignmentRow[]; indicators: IndicatorsTable[]; breakdowns: BreakdownRow[] }> {
  if ('taskIds' in scope && scope.taskIds.length === 0) {
    return { assignments: [], indicators: [], breakdowns: [] };
  }
  const versionId = 'versionId' in scope ? scope.versionId : null;
  const taskIds = 'taskIds' in scope ? scope.taskIds : [];
  const [assignments, indicators, breakdowns] = await Promise.all([
    db
      .selectFrom('plan_task_units as a')
      .innerJoin('plan_tasks as t', 't.id', 'a.task_id')
      .innerJoin('units as u', 'u.id', 'a.unit_id')
      .selectAll('a')
      .select(['u.name as unit_name', 'u.short_name as unit_short_name', 'u.kind as unit_kind'])
      .$if(versionId !== null, (q) => q.where('t.version_id', '=', versionId!))
      .$if(versionId === null, (q) => q.where('a.task_id', 'in', taskIds))
      .orderBy('a.task_id')
      .orderBy('a.sort_order')
      .execute(),
    db
      .selectFrom('indicators as i')
      .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
      .selectAll('i')
      .$if(versionId !== null, (q) => q.where('t.version_id', '=', versionId!))
      .$if(versionId === null, (q) => q.where('i.task_id', 'in', taskIds))
      .orderBy('i.task_id')
      .orderBy('i.sort_order')
      .execute(),
    db
      .selectFrom('indicator_breakdowns as b')
      .innerJoin('indicators as i', 'i.id', 'b.indicator_id')
      .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
      .innerJoin('units as u', 'u.id', 'b.unit_id')
      .selectAll('b')
      .select('u.short_name as unit_name')
      .$if(versionId !== null, (q) => q.where('t.version_id', '=', versionId!))
      .$if(versionId === null, (q) => q.where('i.task_id', 'in', taskIds))
      .orderBy('b.id')
      .execute(),
  ]);
  return { assignments, indicators, breakdowns };
}

export function findTaskRow(db: Kysely<Database>, id: string): Promise<PlanTasksTable | undefined> {
  return db.selectFrom('plan_tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateTaskRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<PlanTasksTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('plan_tasks')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function replaceAssignments(
  db: Kysely<Database>,
  taskId: string,
  rows: PlanTaskUnitsTable[],
): Promise<void> {
  await db.deleteFrom('plan_task_units').where('task_id', '=', taskId).execute();
  await insertChunked(db, 'plan_task_units', rows);
}

export function findIndicatorRow(db: Kysely<Database>, id: string): Promise<IndicatorsTable | undefined> {
  return db.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateIndicatorRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<IndicatorsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('indicators')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function replaceBreakdowns(
  db: Kysely<Database>,
  indicatorId: string,
  rows: IndicatorBreakdownsTable[],
): Promise<void> {
  await db.deleteFrom('indicator_breakdowns').where('indicator_id', '=', indicatorId).execute();
  await insertChunked(db, 'indicator_breakdowns', rows);
}

/** The newest version of every plan. */
export async function latestVersionIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('plan_versions as v').select('v.id').where(isNewestPlanVersion).execute();
  return rows.map((r) => r.id);
}

/** A page of a unit's assignments within the given versions, in plan then document order. */
export async function unitAssignmentPage(
  db: Kysely<Database>,
  unitId: string,
  versionIds: string[],
  page: number,
  pageSize: number,
): Promise<{ rows: { task_id: string; role: string }[]; total: number }> {
  if (versionIds.length === 0) return { rows: [], total: 0 };
  const base = db
    .selectFrom('plan_task_units as a')
    .innerJoin('plan_tasks as t', 't.id', 'a.task_id')
    .where('a.unit_id', '=', unitId)
    .where('t.version_id', 'in', versionIds);
  const [rows, count] = await Promise.all([
    base
      .select(['a.task_id', 'a.role'])
      .orderBy('t.version_id')
      .orderBy('t.sort_order')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: toCount(count.n) };
}

export function taskRowsByIds(db: Kysely<Database>, ids: string[]): Promise<PlanTasksTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('plan_tasks').selectAll().where('id', 'in', ids).execute();
}

/** Whether any plan exists (the sample plan is imported only into a database without one). */
export async function hasAnyPlan(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('plans').select('id').limit(1).execute()).length > 0;
}

/** Display names of users (who imported a version). */
export async function userNames(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'username'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name || r.username]));
}

/** For each version id: its number, plan id and plan title. */
export async function versionPlans(
  db: Kysely<Database>,
  versionIds: string[],
): Promise<Map<string, { number: number; planId: string; planTitle: string }>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('plan_versions as v')
    .innerJoin('plans as p', 'p.id', 'v.plan_id')
    .select(['v.id', 'v.number', 'p.id as plan_id', 'p.title'])
    .where('v.id', 'in', versionIds)
    .execute();
  return new Map(rows.map((r) => [r.id, { number: r.number, planId: r.plan_id, planTitle: r.title }]));
}

export function versionSource(
  db: Kysely<Database>,
  id: string,
): Promise<{ source_text: string; warnings: string; plan_id: string } | undefined> {
  return db
    .selectFrom('plan_versions')
    .select(['source_text', 'warnings', 'plan_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The jurisdiction path of a plan (null: the plan has none). */
export async function planJurisdictionPath(db: Kysely<Database>, planId: string): Promise<string | null> {
  const r = await db
    .selectFrom('plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'plans.jurisdiction_id')
    .select('jurisdictions.path')
    .where('plans.id', '=', planId)
    .executeTakeFirst();
  return r?.path ?? null;
}

/** The links of some tasks, with their targets' path and title. */
export async function taskLinkRows(db: Kysely<Database>, taskIds: string[]) {
  if (taskIds.length === 0) return [];
  const out = [];
  for (let i = 0; i < taskIds.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('task_links as l')
        .innerJoin('plan_tasks as t', 't.id', 'l.target_task_id')
        .select([
          'l.id',
          'l.task_id',
          'l.target_task_id',
          'l.state',
          'l.score',
          'l.reasons',
          't.path as target_path',
          't.title as target_title',
          't.sort_order as target_order',
        ])
        .where('l.task_id', 'in', taskIds.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

export async function insertTaskLinkRows(db: Kysely<Database>, rows: TaskLinksTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('task_links')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

/** Proposed links become confirmed, decided by `by` (null: the system) at `at`. */
export async function confirmTaskLinkRows(
  db: Kysely<Database>,
  ids: string[],
  by: string | null,
  at: string,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('task_links')
      .set({ state: 'confirmed', decided_by: by, decided_at: at })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('state', '=', 'proposed')
      .execute();
  }
}

/** Remove links of some tasks in the given states. */
export async function deleteTaskLinks(
  db: Kysely<Database>,
  taskIds: string[],
  states: string[],
): Promise<void> {
  for (let i = 0; i < taskIds.length; i += 500) {
    await db
      .deleteFrom('task_links')
      .where('task_id', 'in', taskIds.slice(i, i + 500))
      .where('state', 'in', states)
      .execute();
  }
}

/** The plans of a jurisdiction, newest first. */
export function planRowsOfJurisdiction(db: Kysely<Database>, jurisdictionId: string): Promise<PlansTable[]> {
  return db
    .selectFrom('plans')
    .selectAll()
    .where('jurisdiction_id', '=', jurisdictionId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Registry bindings of the given indicators. */
export function bindingRowsOf(
  db: Kysely<Database>,
  indicatorIds: readonly string[],
): Promise<IndicatorBindingsTable[]> {
  if (indicatorIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('indicator_bindings').selectAll().where('indicator_id', 'in', indicatorIds).execute();
}

/** A version's indicators' texts and bindings (null: typed into reports), carried to the next version by text. */
export function versionBindingRows(
  db: Kysely<Database>,
  versionId: string,
): Promise<{ text: string; query_json: string | null }[]> {
  return db
    .selectFrom('indicators as i')
    .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
    .leftJoin('indicator_bindings as b', 'b.indicator_id', 'i.id')
    .select(['i.text', 'b.query_json'])
    .where('t.version_id', '=', versionId)
    .execute();
}

export async function insertBindingRows(db: Kysely<Database>, rows: IndicatorBindingsTable[]): Promise<void> {
  await insertChunked(db, 'indicator_bindings', rows);
}

export async function deleteBindingRow(db: Kysely<Database>, indicatorId: string): Promise<void> {
  await db.deleteFrom('indicator_bindings').where('indicator_id', '=', indicatorId).execute();
}
