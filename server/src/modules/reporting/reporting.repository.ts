import type { Kysely } from 'kysely';
import { plansWithin, unitsWithin } from '../../db/jurisdiction-scope';
import { toCount } from '../../db/dialect';
import type {
  Database,
  ProgressReportsTable,
  ReportAttachmentsTable,
  ReportEventsTable,
  ReportingCyclesTable,
  ReportValuesTable,
} from '../../db/schema';

/** A cycle with its plan's title and version number. */
export interface CycleRow extends ReportingCyclesTable {
  plan_title: string;
  version_number: number;
}

/** A report with what its summary shows. */
export interface ReportRow extends ProgressReportsTable {
  cycle_name: string;
  unit_name: string;
  task_path: string;
  task_title: string;
}

function cycleQuery(db: Kysely<Database>) {
  return db
    .selectFrom('reporting_cycles as c')
    .innerJoin('plans as p', 'p.id', 'c.plan_id')
    .innerJoin('plan_versions as v', 'v.id', 'c.version_id')
    .selectAll('c')
    .select(['p.title as plan_title', 'v.number as version_number']);
}

export function findCycleRow(db: Kysely<Database>, id: string): Promise<CycleRow | undefined> {
  return cycleQuery(db).where('c.id', '=', id).executeTakeFirst();
}

/** A page of cycles; `withinPath` keeps those of plans in that jurisdiction subtree (null: every plan's). */
export async function listCycleRows(
  db: Kysely<Database>,
  q: { planId?: string; state?: string; page: number; pageSize: number },
  withinPath: string | null = null,
): Promise<{ rows: CycleRow[]; total: number }> {
  let base = db.selectFrom('reporting_cycles as c');
  let rows = cycleQuery(db);
  if (withinPath !== null) {
    const plans = plansWithin(db, withinPath);
    base = base.where('c.plan_id', 'in', plans);
    rows = rows.where('c.plan_id', 'in', plans);
  }
  if (q.planId) base = base.where('c.plan_id', '=', q.planId);
  if (q.state) base = base.where('c.state', '=', q.state);
  if (q.planId) rows = rows.where('c.plan_id', '=', q.planId);
  if (q.state) rows = rows.where('c.state', '=', q.state);
  const [items, count] = await Promise.all([
    rows
      .orderBy('c.period_end', 'desc')
      .orderBy('c.id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: items, total: toCount(count.n) };
}

export function openCycleRows(db: Kysely<Database>): Promise<CycleRow[]> {
  return cycleQuery(db).where('c.state', '=', 'open').orderBy('c.due_date').execute();
}

export async function insertCycleRow(db: Kysely<Database>, row: ReportingCyclesTable): Promise<void> {
  await db.insertInto('reporting_cycles').values(row).execute();
}

/** Update guarded by the version read; false when someone else changed the cycle first. */
export async function updateCycleRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<ReportingCyclesTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('reporting_cycles')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

function reportQuery(db: Kysely<Database>) {
  return db
    .selectFrom('progress_reports as r')
    .innerJoin('reporting_cycles as c', 'c.id', 'r.cycle_id')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
    .selectAll('r')
    .select([
      'c.name as cycle_name',
      'u.short_name as unit_name',
      't.path as task_path',
      't.title as task_title',
    ]);
}

export function findReportRow(db: Kysely<Database>, id: string): Promise<ReportRow | undefined> {
  return reportQuery(db).where('r.id', '=', id).executeTakeFirst();
}

export function findReportByKey(
  db: Kysely<Database>,
  cycleId: string,
  unitId: string,
  taskId: string,
): Promise<ReportRow | undefined> {
  return reportQuery(db)
    .where('r.cycle_id', '=', cycleId)
    .where('r.unit_id', '=', unitId)
    .where('r.task_id', '=', taskId)
    .executeTakeFirst();
}

/** A page of reports; `withinPath` keeps those of units in that jurisdiction subtree (null: every unit's). */
export async function listReportRows(
  db: Kysely<Database>,
  q: { cycleId?: string; unitId?: string; state?: string; page: number; pageSize: number },
  withinPath: string | null = null,
): Promise<{ rows: ReportRow[]; total: number }> {
  let rows = reportQuery(db);
  let base = db.selectFrom('progress_reports as r');
  if (withinPath !== null) {
    const units = unitsWithin(db, withinPath);
    rows = rows.where('r.unit_id', 'in', units);
    base = base.where('r.unit_id', 'in', units);
  }
  if (q.cycleId) {
    rows = rows.where('r.cycle_id', '=', q.cycleId);
    base = base.where('r.cycle_id', '=', q.cycleId);
  }
  if (q.unitId) {
    rows = rows.where('r.unit_id', '=', q.unitId);
    base = base.where('r.unit_id', '=', q.unitId);
  }
  if (q.state) {
    rows = rows.where('r.state', '=', q.state);
    base = base.where('r.state', '=', q.state);
  }
  const [items, count] = await Promise.all([
    rows
      .orderBy('r.updated_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: items, total: toCount(count.n) };
}

/** A unit's reports in some cycles. */
export function reportRowsOfUnit(
  db: Kysely<Database>,
  unitId: string,
  cycleIds: string[],
): Promise<ReportRow[]> {
  if (cycleIds.length === 0) return Promise.resolve([]);
  return reportQuery(db).where('r.unit_id', '=', unitId).where('r.cycle_id', 'in', cycleIds).execute();
}

/**
 * The report to pre-fill from: the same unit's report on the task with the same path in the latest earlier cycle
 * of the same plan (task ids differ between plan versions; paths are stable).
 */
export function previousReportRow(
  db: Kysely<Database>,
  r: { unitId: string; planId: string; taskPath: string; periodStart: string },
): Promise<ProgressReportsTable | undefined> {
  return db
    .selectFrom('progress_reports as r')
    .innerJoin('reporting_cycles as c', 'c.id', 'r.cycle_id')
    .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
    .selectAll('r')
    .where('r.unit_id', '=', r.unitId)
    .where('c.plan_id', '=', r.planId)
    .where('t.path', '=', r.taskPath)
    .where('c.period_end', '<', r.periodStart)
    .orderBy('c.period_end', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertReportRow(db: Kysely<Database>, row: ProgressReportsTable): Promise<void> {
  await db.insertInto('progress_reports').values(row).execute();
}

export async function updateReportRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<ProgressReportsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('progress_reports')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The 进展说明 of many reports at once. */
export async function narrativesOfReports(db: Kysely<Database>, reportIds: string[]) {
  const out: { id: string; narrative: string }[] = [];
  for (let i = 0; i < reportIds.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('progress_reports')
        .select(['id', 'narrative'])
        .where('id', 'in', reportIds.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

/** The entered values of many reports at once, with each indicator's text and unit and the county's short name. */
export async function valueRowsOfReports(db: Kysely<Database>, reportIds: string[]) {
  const out: {
    report_id: string;
    value: string | null;
    indicator_text: string;
    indicator_unit: string;
    county_name: string | null;
  }[] = [];
  for (let i = 0; i < reportIds.length; i += 500) {
    const rows = await db
      .selectFrom('report_values as v')
      .innerJoin('indicators as i', 'i.id', 'v.indicator_id')
      .leftJoin('units as c', 'c.id', 'v.county_id')
      .select([
        'v.report_id',
        'v.value',
        'i.text as indicator_text',
        'i.unit as indicator_unit',
        'c.short_name as county_name',
      ])
      .where('v.report_id', 'in', reportIds.slice(i, i + 500))
      .where('v.value', 'is not', null)
      .orderBy('v.report_id')
      .orderBy('i.sort_order')
      .orderBy('c.sort_order')
      .execute();
    out.push(...rows);
  }
  return out;
}

export function valueRows(db: Kysely<Database>, reportId: string): Promise<ReportValuesTable[]> {
  return db.selectFrom('report_values').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
}

export async function replaceValueRows(
  db: Kysely<Database>,
  reportId: string,
  rows: ReportValuesTable[],
): Promise<void> {
  await db.deleteFrom('report_values').where('report_id', '=', reportId).execute();
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('report_values')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

/** An approved value with where it comes from: the report, its cycle and unit, and the unit's role on the task. */
export function eventRows(db: Kysely<Database>, reportId: string): Promise<ReportEventsTable[]> {
  return db.selectFrom('report_events').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
}

export async function insertEventRow(db: Kysely<Database>, row: ReportEventsTable): Promise<void> {
  await db.insertInto('report_events').values(row).execute();
}

export function attachmentRows(db: Kysely<Database>, reportId: string): Promise<ReportAttachmentsTable[]> {
  return db
    .selectFrom('report_attachments')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('id')
    .execute();
}

export function findAttachmentRow(
  db: Kysely<Database>,
  id: string,
): Promise<ReportAttachmentsTable | undefined> {
  return db.selectFrom('report_attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAttachmentRow(db: Kysely<Database>, row: ReportAttachmentsTable): Promise<void> {
  await db.insertInto('report_attachments').values(row).execute();
}

export async function deleteAttachmentRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('report_attachments').where('id', '=', id).execute();
}

/** Assignments of a unit within a version: task id and role. */
export function unitAssignments(
  db: Kysely<Database>,
  unitId: string,
  versionIds: string[],
): Promise<
  { task_id: string; role: string; path: string; title: string; version_id: string; sort_order: number }[]
> {
  if (versionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('plan_task_units as a')
    .innerJoin('plan_tasks as t', 't.id', 'a.task_id')
    .select(['a.task_id', 'a.role', 't.path', 't.title', 't.version_id', 't.sort_order'])
    .where('a.unit_id', '=', unitId)
    .where('t.version_id', 'in', versionIds)
    .orderBy('t.sort_order')
    .execute();
}

export function assignmentOf(
  db: Kysely<Database>,
  taskId: string,
  unitId: string,
): Promise<{ role: string } | undefined> {
  return db
    .selectFrom('plan_task_units')
    .select('role')
    .where('task_id', '=', taskId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
}

/** Each unit assigned a task in a cycle's plan version: how many tasks, how many reports submitted or approved. */
export async function cycleUnitProgress(
  db: Kysely<Database>,
  cycle: { id: string; version_id: string },
): Promise<{ unit_id: string; unit_name: string; tasks: number; done: number }[]> {
  const [assigned, done] = await Promise.all([
    db
      .selectFrom('plan_task_units as a')
      .innerJoin('plan_tasks as t', 't.id', 'a.task_id')
      .innerJoin('units as u', 'u.id', 'a.unit_id')
      .select(['a.unit_id', 'u.short_name as unit_name', 'a.task_id'])
      .where('t.version_id', '=', cycle.version_id)
      .where('u.is_active', '=', 1)
      .execute(),
    db
      .selectFrom('progress_reports')
      .select(['unit_id', 'task_id'])
      .where('cycle_id', '=', cycle.id)
      .where('state', 'in', ['submitted', 'approved'])
      .execute(),
  ]);
  const doneKeys = new Set(done.map((d) => `${d.unit_id}|${d.task_id}`));
  const byUnit = new Map<string, { unit_id: string; unit_name: string; tasks: Set<string>; done: number }>();
  for (const a of assigned) {
    const u = byUnit.get(a.unit_id) ?? {
      unit_id: a.unit_id,
      unit_name: a.unit_name,
      tasks: new Set(),
      done: 0,
    };
    if (!u.tasks.has(a.task_id)) {
      u.tasks.add(a.task_id);
      if (doneKeys.has(`${a.unit_id}|${a.task_id}`)) u.done += 1;
    }
    byUnit.set(a.unit_id, u);
  }
  return [...byUnit.values()]
    .map((u) => ({ unit_id: u.unit_id, unit_name: u.unit_name, tasks: u.tasks.size, done: u.done }))
    .sort((a, b) => a.unit_name.localeCompare(b.unit_name, 'zh'));
}

/** Record that a reminder event was sent; a unique violation means another process (or an earlier run) did. */
export async function insertReminderSend(
  db: Kysely<Database>,
  row: { id: string; kind: string; subject_id: string; occurrence: string; sent_at: string },
): Promise<void> {
  await db.insertInto('reminder_sends').values(row).execute();
}

/** When each unit of a cycle was last sent a reminder of a kind (for the 催报 list). */
export async function lastReminders(
  db: Kysely<Database>,
  cycleId: string,
): Promise<{ kind: string; occurrence: string; sent_at: string }[]> {
  return db
    .selectFrom('reminder_sends')
    .select(['kind', 'occurrence', 'sent_at'])
    .where('subject_id', '=', cycleId)
    .orderBy('sent_at')
    .execute();
}

/** Cycles of a plan, in period order (the assessment reads a year's cycles through reporting-reads). */
export function cycleRowsOfPlan(db: Kysely<Database>, planId: string): Promise<ReportingCyclesTable[]> {
  return db
    .selectFrom('reporting_cycles')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('period_end')
    .orderBy('id')
    .execute();
}

/** Each return (退回) of a report of these cycles: the report's unit and task, and when it was returned. */
export async function returnEventRows(
  db: Kysely<Database>,
  cycleIds: string[],
): Promise<{ unit_id: string; cycle_id: string; task_id: string; at: string }[]> {
  if (cycleIds.length === 0) return [];
  return db
    .selectFrom('report_events as e')
    .innerJoin('progress_reports as r', 'r.id', 'e.report_id')
    .select(['r.unit_id', 'r.cycle_id', 'r.task_id', 'e.at'])
    .where('e.action', '=', 'return')
    .where('r.cycle_id', 'in', cycleIds)
    .orderBy('e.at')
    .execute();
}

/**
 * The explanations (说明) units entered on indicator values of a cycle's reports, for the given indicators, with the
 * unit's and county's short names: why an indicator is behind, in the units' own words (documents).
 */
export async function cycleValueNotes(
  db: Kysely<Database>,
  cycleId: string,
  indicatorIds: string[],
): Promise<
  {
    indicator_id: string;
    unit_id: string;
    unit_name: string;
    county_name: string | null;
    note: string;
    state: string;
  }[]
> {
  const out: Awaited<ReturnType<typeof cycleValueNotes>> = [];
  for (let i = 0; i < indicatorIds.length; i += 500) {
    const part = await db
      .selectFrom('report_values as v')
      .innerJoin('progress_reports as r', 'r.id', 'v.report_id')
      .innerJoin('units as u', 'u.id', 'r.unit_id')
      .leftJoin('units as c', 'c.id', 'v.county_id')
      .select([
        'v.indicator_id',
        'r.unit_id',
        'u.short_name as unit_name',
        'c.short_name as county_name',
        'v.note',
        'r.state',
      ])
      .where('r.cycle_id', '=', cycleId)
      .where('v.indicator_id', 'in', indicatorIds.slice(i, i + 500))
      .where('v.note', '<>', '')
      .orderBy('u.sort_order')
      .orderBy('c.sort_order')
      .execute();
    for (const r of part) out.push(r);
  }
  return out;
}
