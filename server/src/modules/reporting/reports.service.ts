import { authenticate, authorize } from '../../authorize';
import type {
  BulkResult,
  BulkReview,
  Page,
  ReportDetail,
  ReportIndicator,
  ReportListQuery,
  ReportSave,
  ReportSummary,
  ReportValueInput,
  ValueCheck,
} from '@kesu/shared';
import { ReportSaveSchema, ReportValueInputSchema } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type Ctx, isRootStaff } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type { Database, IndicatorsTable, ReportValuesTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import type { Notifier, OutboundNotification } from '../notifications/notification-channels';
import { notifyInTransaction } from '../notifications/notifications.service';
import { findJurisdiction } from '../jurisdictions/jurisdictions.service';
import { boundIndicators, contentOfTasks, findPlanRow, findTaskRow } from '../plans/plan-reads.service';
import { findUnitRow, unitJurisdictionPath } from '../units/unit-reads.service';
import { assertCycleWritable, requireCycle, toCycles } from './cycles.service';
import {
  approvedValueRows,
  collectObservations,
  planScope,
  registryObservationSource,
} from '../progress/progress-reads.service';
import { planStartOfCycle } from '../progress/progress.service';
import { checkValues, type EnteredValue } from './report-checks';
import { toAttachment, toEvent, toReportSummary } from './reporting.present';
import {
  canCreateReport,
  canEditReport,
  canReadReport,
  canReviewReports,
  canUploadAttachment,
} from './reporting.policy';
import {
  assignmentOf,
  attachmentRows,
  type CycleRow,
  eventRows,
  findReportByKey,
  findReportRow,
  insertEventRow,
  insertReportRow,
  listReportRows,
  previousReportRow,
  type ReportRow,
  reportRowsOfUnit,
  replaceValueRows,
  updateReportRow,
  valueRows,
  valueRowsOfReports,
  narrativesOfReports,
} from './reporting.repository';

// ── gates ───────────────────────────────────────────────────────────────────────────────────────────────────

/** 404 for an id that names nothing, 403 for another unit's report. */
export async function requireReadableReport(db: Kysely<Database>, ctx: Ctx, id: string): Promise<ReportRow> {
  authenticate(ctx);
  const row = await findReportRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '报告不存在');
  if (
    !canReadReport(ctx.user, { unitId: row.unit_id, unitPath: await unitJurisdictionPath(db, row.unit_id) })
  )
    throw new AppError('FORBIDDEN', '不能查看其他单位的报告');
  return row;
}

/** The jurisdiction whose plan a cycle runs (its admin runs the cycle and reviews its reports). */
export async function planJurisdictionOf(
  db: Kysely<Database>,
  cycle: { plan_id: string },
): Promise<string | null> {
  return (await findPlanRow(db, cycle.plan_id))?.jurisdiction_id ?? null;
}

/** The owner unit's write: refused with the clearest reason (role/unit, cycle, approval, state, version). */
function assertEditable(ctx: Ctx, row: ReportRow, cycle: CycleRow, expectedVersion: number | null): void {
  const scope = { unitId: row.unit_id, state: row.state };
  if (ctx.user?.unitInactive && ctx.user.unitId === row.unit_id) {
    throw new AppError('FORBIDDEN', '本单位已停用或已被合并，不能再填报或修改报告；如有疑问请联系管理员');
  }
  if (!canCreateReport(ctx.user, row.unit_id))
    throw new AppError('FORBIDDEN', '只有本单位的填报人可以修改报告');
  assertCycleWritable(cycle, true);
  if (row.state === 'approved') throw new AppError('REPORT_LOCKED');
  if (!canEditReport(ctx.user, scope)) {
    throw new AppError('INVALID_STATE', '报告已提交，等待审核，不能修改');
  }
  if (expectedVersion !== null && expectedVersion !== row.version) {
    throw new AppError('CONFLICT', '报告已被他人修改，请刷新后重试', { currentVersion: row.version });
  }
}

async function event(
  trx: Kysely<Database>,
  ctx: Ctx,
  reportId: string,
  action: string,
  comment = '',
): Promise<void> {
  await insertEventRow(trx, {
    id: newId(),
    report_id: reportId,
    action,
    comment,
    actor_id: ctx.user?.id ?? null,
    actor_name: ctx.user ? ctx.user.displayName || ctx.user.username : null,
    at: nowIso(),
  });
}

// ── task content ────────────────────────────────────────────────────────────────────────────────────────────

interface TaskContent {
  indicators: IndicatorsTable[];
  breakdowns: { indicator_id: string; unit_id: string; target_value: string }[];
  /** Indicators bound to registry queries (computed, never typed). */
  /** Registry-bound indicators and their query in words. */
  bound: Map<string, string>;
}

async function taskContent(db: Kysely<Database>, taskId: string): Promise<TaskContent> {
  const c = await contentOfTasks(db, { taskIds: [taskId] });
  const bound = await boundIndicators(
    db,
    c.indicators.map((i) => i.id),
  );
  return { indicators: c.indicators, breakdowns: c.breakdowns, bound };
}

/** Survey rates are measured by survey waves and bound indicators by the registries: neither is typed into a report. */
const reportedIn = (content: TaskContent) => (i: IndicatorsTable) =>
  i.kind !== 'survey_rate' && !content.bound.has(i.id);

/** A bound indicator's figures from the registries as of the cycle's end (the same source the evaluation uses). */
async function computedFigures(
  db: Kysely<Database>,
  content: TaskContent,
  periodEnd: string,
  countyNames: Map<string, string>,
): Promise<Map<string, NonNullable<ReportIndicator['computed']>>> {
  const out = new Map<string, NonNullable<ReportIndicator['computed']>>();
  const bound = content.indicators.filter((i) => content.bound.has(i.id));
  if (bound.length === 0) return out;
  const observed = await collectObservations(db, bound, [registryObservationSource], {
    asOf: periodEnd,
    dates: [periodEnd],
  });
  for (const i of bound) {
    const list = observed.get(i.id) ?? [];
    out.set(i.id, {
      description: content.bound.get(i.id) ?? '资源库自动计算',
      items: list.map((o) => ({
        countyName: o.county ? (countyNames.get(o.county) ?? null) : null,
        value: o.value,
        label: o.source.label,
        link: o.source.ref,
      })),
    });
  }
  return out;
}

/**
 * Counties a unit gives values for, seen from the cycle's plan: a county only its own; a city unit every county of
 * the plan's level; null when the plan's level has none below it (a county's plan: every value is the county's own).
 */
async function reportCounties(
  db: Kysely<Database>,
  unitId: string,
  planId: string,
): Promise<{ id: string; name: string }[] | null> {
  const plan = await findPlanRow(db, planId);
  const idx = (await planScope(db, plan?.jurisdiction_id ?? null)).counties;
  if (!idx) return null;
  const all = idx.ids.map((id) => ({ id, name: idx.names[id]! }));
  const own = all.find((c) => c.id === unitId);
  return own ? [own] : all;
}

/** Refuse values that name another task's indicator, a county where none belongs, or a negative count. */
function validateValues(
  input: ReportValueInput[],
  content: TaskContent,
  counties: { id: string }[] | null,
): EnteredValue[] {
  const isReported = reportedIn(content);
  const byId = new Map(content.indicators.map((i) => [i.id, i]));
  const countyIds = new Set((counties ?? []).map((c) => c.id));
  const seen = new Set<string>();
  const out: EnteredValue[] = [];
  const bad = (message: string, path: string) =>
    new AppError('VALIDATION_FAILED', message, { fields: [{ path, message }] });
  input.forEach((raw, k) => {
    const v = ReportValueInputSchema.parse(raw);
    const ind = byId.get(v.indicatorId);
    if (!ind) throw bad('指标不属于该报告的任务', `body.values.${k}.indicatorId`);
    if (content.bound.has(ind.id))
      throw bad('该指标由资源库自动计算，无需在报告中填写', `body.values.${k}.indicatorId`);
    if (!isReported(ind))
      throw bad('调查比例类指标由调查数据提供，不在报告中填写', `body.values.${k}.indicatorId`);
    const byCounty = ind.breakdown_by_county === 1 && counties !== null;
    if (byCounty && (v.countyId === null || !countyIds.has(v.countyId))) {
      throw bad('该指标按县区填报，请选择本报告可填的县区', `body.values.${k}.countyId`);
    }
    if (!byCounty && v.countyId !== null) throw bad('该指标不分县区填报', `body.values.${k}.countyId`);
    if (v.value !== null && v.value < 0) throw bad('填报值不能为负数', `body.values.${k}.value`);
    const key = `${v.indicatorId}|${v.countyId ?? ''}`;
    if (seen.has(key)) throw bad('同一指标（县区）重复填写', `body.values.${k}`);
    seen.add(key);
    out.push({ indicatorId: v.indicatorId, countyId: v.countyId, value: v.value, note: v.note });
  });
  return out;
}

function enteredOf(rows: ReportValuesTable[]): EnteredValue[] {
  return rows.map((r) => ({
    indicatorId: r.indicator_id,
    countyId: r.county_id,
    value: r.value === null ? null : Number(r.value),
    note: r.note,
  }));
}

async function checksFor(
  db: Kysely<Database>,
  row: ReportRow,
  cycle: CycleRow,
  content: TaskContent,
  values: EnteredValue[],
): Promise<ValueCheck[]> {
  return checkValues(
    db,
    {
      reportId: row.id,
      unitName: row.unit_name,
      cycleName: cycle.name,
      periodEnd: cycle.period_end,
      startDate: await planStartOfCycle(db, cycle),
      planJurisdictionId: (await findPlanRow(db, cycle.plan_id))?.jurisdiction_id ?? null,
    },
    content.indicators.filter(reportedIn(content)),
    content.breakdowns,
    values,
  );
}

/** 全市 / 全县 / 全区 / 全省: "all of" the plan's level, after the last character of its short name. */
async function totalLabelOf(db: Kysely<Database>, planId: string): Promise<string> {
  const plan = await findPlanRow(db, planId);
  const place = plan?.jurisdiction_id ? await findJurisdiction(db, plan.jurisdiction_id) : undefined;
  const last = place?.short_name.slice(-1) ?? '';
  return /[省市县区旗]/.test(last) ? `全${last}` : '本级合计';
}

// ── reading ─────────────────────────────────────────────────────────────────────────────────────────────────

export async function getReport(db: Kysely<Database>, ctx: Ctx, id: string): Promise<ReportDetail> {
  const row = await requireReadableReport(db, ctx, id);
  const cycle = await requireCycle(db, row.cycle_id);
  const content = await taskContent(db, row.task_id);
  const counties = await reportCounties(db, row.unit_id, cycle.plan_id);
  const [values, attachments, events] = await Promise.all([
    valueRows(db, id),
    attachmentRows(db, id),
    eventRows(db, id),
  ]);
  const entered = enteredOf(values);
  const checks = await checksFor(db, row, cycle, content, entered);
  const history = await approvedValueRows(
    db,
    content.indicators.map((i) => i.id),
  );
  const isReported = reportedIn(content);
  const computed = await computedFigures(
    db,
    content,
    cycle.period_end,
    new Map((counties ?? []).map((c) => [c.id, c.name])),
  );
  const indicators: ReportIndicator[] = content.indicators.map((i) => {
    const previous = history
      .filter((h) => h.indicator_id === i.id && h.unit_id === row.unit_id && h.period_end < cycle.period_end)
      .sort((a, b) => b.period_end.localeCompare(a.period_end));
    const latestPer = new Map<string, (typeof previous)[number]>();
    for (const p of previous) if (!latestPer.has(p.county_id ?? '')) latestPer.set(p.county_id ?? '', p);
    return {
      id: i.id,
      text: i.text,
      kind: i.kind,
      comparator: i.comparator,
      targetValue: Number(i.target_value),
      unit: i.unit,
      deadline: i.deadline,
      breakdownByCounty: i.breakdown_by_county === 1 && counties !== null,
      isReported: isReported(i),
      computed: computed.get(i.id) ?? null,
      counties: i.breakdown_by_county === 1 && counties ? counties : [],
      previous: [...latestPer.values()].map((p) => ({
        countyId: p.county_id,
        value: Number(p.value),
        cycleName: p.cycle_name,
      })),
    };
  });
  const scope = { unitId: row.unit_id, state: row.state };
  const cycleOpen = cycle.state === 'open';
  return {
    ...toReportSummary(row),
    narrative: row.narrative,
    prefilledFromId: row.prefilled_from_id,
    cycle: (await toCycles(db, [cycle]))[0]!,
    indicators,
    values: values.map((v) => ({
      indicatorId: v.indicator_id,
      countyId: v.county_id,
      value: v.value === null ? null : Number(v.value),
      note: v.note,
      isPrefilled: v.is_prefilled === 1,
    })),
    checks,
    attachments: attachments.map(toAttachment),
    events: events.map(toEvent),
    totalLabel: await totalLabelOf(db, cycle.plan_id),
    can: {
      edit: cycleOpen && canEditReport(ctx.user, scope),
      review:
        cycle.state !== 'locked' &&
        canReviewReports(ctx.user, await planJurisdictionOf(db, cycle)) &&
        row.state === 'submitted',
      upload: cycleOpen && canUploadAttachment(ctx.user, scope),
    },
  };
}

/** The review queue (admin, leaders, analysts: every unit; a reporter: its own unit only). */
export async function listReports(
  db: Kysely<Database>,
  ctx: Ctx,
  q: ReportListQuery,
): Promise<Page<ReportSummary>> {
  authenticate(ctx);
  let unitId = q.unitId;
  if (ctx.user.role === 'reporter') {
    if (unitId && unitId !== ctx.user.unitId) throw new AppError('FORBIDDEN', '只能查看本单位的报告');
    unitId = ctx.user.unitId ?? '';
  }
  // The root's office reads every unit's reports; a county's staff those of the county's units.
  const within = isRootStaff(ctx.user, 'admin', 'leader', 'analyst') ? null : ctx.user.jurisdictionPath;
  const { rows, total } = await listReportRows(
    db,
    { ...q, unitId },
    ctx.user.role === 'reporter' ? null : within,
  );
  return { items: rows.map(toReportSummary), total, page: q.page, pageSize: q.pageSize };
}

// ── writing ─────────────────────────────────────────────────────────────────────────────────────────────────

/** What a newly opened report starts from: the unit's previous report of the same task (by path), if any. */
export interface ReportPrefill {
  previousId: string | null;
  progress: string;
  narrative: string;
  /** Entered values carried over, mapped onto this task's indicators. */
  values: { indicator_id: string; county_id: string | null; value: string }[];
}

type TaskRow = NonNullable<Awaited<ReturnType<typeof findTaskRow>>>;

/**
 * The pre-fill of a report not yet opened, read only: progress, narrative and entered values of the unit's previous
 * report of the same-path task; indicators are matched by id, or (another plan version) by their position within
 * the task when of the same kind.
 */
export async function reportPrefill(
  db: Kysely<Database>,
  cycle: CycleRow,
  task: TaskRow,
  unitId: string,
): Promise<ReportPrefill> {
  const previous = await previousReportRow(db, {
    unitId,
    planId: cycle.plan_id,
    taskPath: task.path,
    periodStart: cycle.period_start,
  });
  if (!previous) return { previousId: null, progress: 'not_started', narrative: '', values: [] };
  const content = await taskContent(db, task.id);
  const prevTask = await findTaskRow(db, previous.task_id);
  const prevContent = prevTask ? await taskContent(db, prevTask.id) : { indicators: [], breakdowns: [] };
  const mapTo = new Map<string, string>();
  prevContent.indicators.forEach((p, k) => {
    const same = content.indicators.find((i) => i.id === p.id) ?? content.indicators[k];
    if (same && same.kind === p.kind) mapTo.set(p.id, same.id);
  });
  const values = (await valueRows(db, previous.id))
    .filter((v) => v.value !== null && mapTo.has(v.indicator_id))
    .map((v) => ({ indicator_id: mapTo.get(v.indicator_id)!, county_id: v.county_id, value: v.value! }));
  return { previousId: previous.id, progress: previous.progress, narrative: previous.narrative, values };
}

/**
 * Open (insert) the report of a unit for a task in a cycle, pre-filled, inside the caller's transaction, with its
 * event and audit row. The caller has checked the gates (own unit, assignment, writable cycle, none yet).
 */
export async function openReportInTrx(
  trx: Kysely<Database>,
  ctx: Ctx,
  cycle: CycleRow,
  task: TaskRow,
  unitId: string,
): Promise<string> {
  const prefill = await reportPrefill(trx, cycle, task, unitId);
  const id = newId();
  const now = nowIso();
  const row = {
    id,
    cycle_id: cycle.id,
    unit_id: unitId,
    task_id: task.id,
    state: 'draft',
    progress: prefill.progress,
    narrative: prefill.narrative,
    prefilled_from_id: prefill.previousId,
    review_comment: '',
    submitted_at: null,
    submitted_by: null,
    reviewed_at: null,
    reviewed_by: null,
    created_by: ctx.user?.id ?? null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await insertReportRow(trx, row);
  if (prefill.values.length > 0) {
    await replaceValueRows(
      trx,
      id,
      prefill.values.map((v) => ({ id: newId(), report_id: id, ...v, note: '', is_prefilled: 1 })),
    );
  }
  await insertEventRow(trx, {
    id: newId(),
    report_id: id,
    action: 'create',
    comment: prefill.previousId ? '已按上一周期报告预填' : '',
    actor_id: ctx.user?.id ?? null,
    actor_name: ctx.user ? ctx.user.displayName || ctx.user.username : null,
    at: now,
  });
  await recordAudit(trx, ctx, {
    action: 'report.create',
    entityType: 'progress_report',
    entityId: id,
    after: { ...row, prefilledFrom: prefill.previousId },
  });
  return id;
}

/** The gates of opening a report: own unit's reporter, a task of the cycle's plan version assigned to the unit. */
async function requireOpenable(
  db: Kysely<Database>,
  ctx: Ctx,
  input: { cycleId: string; taskId: string; unitId?: string },
): Promise<{ cycle: CycleRow; task: TaskRow; unitId: string }> {
  authenticate(ctx);
  const unitId = input.unitId ?? ctx.user.unitId;
  if (!unitId || !canCreateReport(ctx.user, unitId)) {
    throw new AppError('FORBIDDEN', '只有本单位的填报人可以填写本单位的报告');
  }
  const cycle = await requireCycle(db, input.cycleId);
  const task = await findTaskRow(db, input.taskId);
  if (!task || task.version_id !== cycle.version_id)
    throw new AppError('NOT_FOUND', '该周期的规划中没有这个任务');
  if (!(await assignmentOf(db, task.id, unitId))) {
    throw new AppError('FORBIDDEN', '本单位不是该任务的责任单位');
  }
  return { cycle, task, unitId };
}

/**
 * Open (or return the existing) report of the caller's unit on a task for a cycle, pre-filled from the same
 * unit's report on the same task in the previous cycle: progress, narrative and values (notes are per cycle).
 */
export async function createReport(
  db: Kysely<Database>,
  ctx: Ctx,
  input: { cycleId: string; taskId: string; unitId?: string },
): Promise<ReportDetail> {
  const { cycle, task, unitId } = await requireOpenable(db, ctx, input);
  const existing = await findReportByKey(db, cycle.id, unitId, task.id);
  if (existing) return getReport(db, ctx, existing.id);
  assertCycleWritable(cycle, true);
  const unit = await findUnitRow(db, unitId);
  if (!unit) throw new AppError('NOT_FOUND', '单位不存在');
  let id: string;
  try {
    id = await db.transaction().execute((trx) => openReportInTrx(trx, ctx, cycle, task, unitId));
  } catch (err) {
    // Two people of the unit opened the same report at once: the other one won, answer with it.
    if (isUniqueViolation(err)) {
      const other = await findReportByKey(db, cycle.id, unitId, task.id);
      if (other) return getReport(db, ctx, other.id);
    }
    throw err;
  }
  return getReport(db, ctx, id);
}

/**
 * For an upload of the unit's template: its report of a task in the cycle. One not yet opened is opened (pre-filled,
 * in the caller's transaction) only when `differs(prefill)` says the upload changes something; otherwise null.
 * Throws the same errors as opening one from the web form.
 */
export async function openReportForUpload(
  trx: Kysely<Database>,
  ctx: Ctx,
  input: { cycleId: string; taskId: string; unitId: string },
  differs: (prefill: ReportPrefill) => boolean,
): Promise<{ id: string; opened: boolean } | null> {
  const { cycle, task, unitId } = await requireOpenable(trx, ctx, input);
  const existing = await findReportByKey(trx, cycle.id, unitId, task.id);
  if (existing) return { id: existing.id, opened: false };
  if (!differs(await reportPrefill(trx, cycle, task, unitId))) return null;
  assertCycleWritable(cycle, true);
  return { id: await openReportInTrx(trx, ctx, cycle, task, unitId), opened: true };
}

/**
 * How the unit's report for a task would look if opened now, without opening it: the pre-filled draft is written
 * inside a transaction, read, and rolled back (nothing stays, not even its audit row). The detail's id names no row.
 */
export async function previewReport(
  db: Kysely<Database>,
  ctx: Ctx,
  input: { cycleId: string; taskId: string; unitId?: string },
): Promise<ReportDetail> {
  const { cycle, task, unitId } = await requireOpenable(db, ctx, input);
  const rollback = new Error('preview: roll back');
  let detail: ReportDetail | null = null;
  try {
    await db.transaction().execute(async (trx) => {
      const id = await openReportInTrx(trx, ctx, cycle, task, unitId);
      detail = await getReport(trx, ctx, id);
      throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  if (!detail) throw new AppError('INTERNAL');
  return detail;
}

/** Save a draft (or a returned report): all fields at once, guarded by `version` (409 when stale). */
export async function saveReport(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: ReportSave,
): Promise<ReportDetail> {
  await db.transaction().execute((trx) => saveReportInTrx(trx, ctx, id, input));
  return getReport(db, ctx, id);
}

/**
 * saveReport inside the caller's transaction (the Excel upload applies many reports in one): the same gates,
 * validation, concurrency check and audit row.
 */
export async function saveReportInTrx(
  trx: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: ReportSave,
): Promise<void> {
  const body = ReportSaveSchema.parse(input);
  const row = await requireReadableReport(trx, ctx, id);
  const cycle = await requireCycle(trx, row.cycle_id);
  assertEditable(ctx, row, cycle, body.version);
  const content = await taskContent(trx, row.task_id);
  const counties = await reportCounties(trx, row.unit_id, cycle.plan_id);
  const values = validateValues(body.values, content, counties);
  const before = await valueRows(trx, id);
  const prefilled = new Map(
    before
      .filter((b) => b.is_prefilled === 1)
      .map((b) => [`${b.indicator_id}|${b.county_id ?? ''}`, b.value]),
  );
  const rows = values.map((v) => {
    const stored = v.value === null ? null : String(v.value);
    const key = `${v.indicatorId}|${v.countyId ?? ''}`;
    return {
      id: newId(),
      report_id: id,
      indicator_id: v.indicatorId,
      county_id: v.countyId,
      value: stored,
      note: v.note,
      is_prefilled: prefilled.has(key) && prefilled.get(key) === stored ? 1 : 0,
    };
  });
  const changes = { progress: body.progress, narrative: body.narrative, updated_at: nowIso() };
  if (!(await updateReportRow(trx, id, body.version, changes))) {
    throw new AppError('CONFLICT', '报告已被他人修改，请刷新后重试', { currentVersion: row.version });
  }
  await replaceValueRows(trx, id, rows);
  await recordAudit(trx, ctx, {
    action: 'report.save',
    entityType: 'progress_report',
    entityId: id,
    before: { progress: row.progress, narrative: row.narrative, values: enteredOf(before) },
    after: { ...changes, values },
  });
}

/** Judge values as typed, without saving (the form shows the explanation field as soon as a value is behind). */
export async function evaluateReportValues(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  values: ReportValueInput[],
): Promise<ValueCheck[]> {
  const row = await requireReadableReport(db, ctx, id);
  const cycle = await requireCycle(db, row.cycle_id);
  const content = await taskContent(db, row.task_id);
  const counties = await reportCounties(db, row.unit_id, cycle.plan_id);
  return checksFor(db, row, cycle, content, validateValues(values, content, counties));
}

/** draft/returned → submitted. Every value that is behind or anomalous must carry a note. */
export async function submitReport(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  notifier?: Notifier,
): Promise<ReportDetail> {
  const out = await db
    .transaction()
    .execute((trx) => submitReportInTrx(trx, ctx, id, expectedVersion, notifier));
  notifier?.afterCommit(out);
  return getReport(db, ctx, id);
}

/**
 * submitReport inside the caller's transaction; a returned report submitted again tells its reviewer (or every
 * admin). Returns the notifications to deliver after the commit.
 */
export async function submitReportInTrx(
  trx: Kysely<Database>,
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  notifier?: Notifier,
): Promise<OutboundNotification[]> {
  const row = await requireReadableReport(trx, ctx, id);
  const cycle = await requireCycle(trx, row.cycle_id);
  assertEditable(ctx, row, cycle, expectedVersion);
  const content = await taskContent(trx, row.task_id);
  const checks = await checksFor(trx, row, cycle, content, enteredOf(await valueRows(trx, id)));
  const missing = checks.filter((c) => c.explanationRequired && !c.hasExplanation);
  if (missing.length > 0) {
    throw new AppError('EXPLANATION_REQUIRED', undefined, {
      values: missing.map((m) => ({
        indicatorId: m.indicatorId,
        countyId: m.countyId,
        status: m.status,
        anomaly: m.anomaly,
      })),
    });
  }
  const now = nowIso();
  if (
    !(await updateReportRow(trx, id, expectedVersion, {
      state: 'submitted',
      submitted_at: now,
      submitted_by: ctx.user?.id ?? null,
      updated_at: now,
    }))
  ) {
    throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
  }
  await event(trx, ctx, id, 'submit');
  await recordAudit(trx, ctx, {
    action: 'report.submit',
    entityType: 'progress_report',
    entityId: id,
    before: { state: row.state },
    after: { state: 'submitted', checks },
  });
  if (!notifier || row.state !== 'returned') return [];
  return notifyInTransaction(
    trx,
    notifier,
    row.reviewed_by ? { userIds: [row.reviewed_by] } : { admins: true },
    {
      kind: 'report.resubmitted',
      title: `${row.unit_name}已修改并重新提交报告`,
      body: `「${cycle.name}」${row.task_path} ${row.task_title}：退回后已重新提交，请审核。`,
      link: `/reporting/reports/${id}`,
    },
  );
}

/** The admin's review of a submitted report: approve (locks it) or return with a comment. */
export async function reviewReport(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  decision: 'approve' | 'return',
  input: { version: number; comment: string },
  notifier?: Notifier,
): Promise<ReportDetail> {
  authenticate(ctx);
  const out = await db
    .transaction()
    .execute((trx) => reviewReportInTrx(trx, ctx, id, decision, input, notifier));
  notifier?.afterCommit(out);
  return getReport(db, ctx, id);
}

/** reviewReport inside the caller's transaction; the unit is told. Returns the notifications to deliver. */
export async function reviewReportInTrx(
  trx: Kysely<Database>,
  ctx: Ctx,
  id: string,
  decision: 'approve' | 'return',
  input: { version: number | null; comment: string },
  notifier?: Notifier,
): Promise<OutboundNotification[]> {
  const row = await requireReadableReport(trx, ctx, id);
  const cycle = await requireCycle(trx, row.cycle_id);
  if (!canReviewReports(ctx.user, await planJurisdictionOf(trx, cycle))) {
    throw new AppError('FORBIDDEN', '只有该规划所属行政区划的管理员可以审核报告');
  }
  assertCycleWritable(cycle, false);
  if (row.state === 'approved') throw new AppError('REPORT_LOCKED');
  if (row.state !== 'submitted') throw new AppError('INVALID_STATE', '只能审核已提交的报告');
  if (decision === 'return' && input.comment.trim() === '') {
    throw new AppError('VALIDATION_FAILED', '退回须填写意见', {
      fields: [{ path: 'body.comment', message: '退回须填写意见' }],
    });
  }
  const now = nowIso();
  const state = decision === 'approve' ? 'approved' : 'returned';
  if (
    !(await updateReportRow(trx, id, input.version ?? row.version, {
      state,
      review_comment: input.comment,
      reviewed_at: now,
      reviewed_by: ctx.user?.id ?? null,
      updated_at: now,
    }))
  ) {
    throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
  }
  await event(trx, ctx, id, decision, input.comment);
  await recordAudit(trx, ctx, {
    action: `report.${decision}`,
    entityType: 'progress_report',
    entityId: id,
    before: { state: row.state },
    after: { state, comment: input.comment },
  });
  if (!notifier) return [];
  const what = `「${cycle.name}」${row.task_path} ${row.task_title}`;
  return notifyInTransaction(
    trx,
    notifier,
    { unitId: row.unit_id },
    decision === 'approve'
      ? {
          kind: 'report.approved',
          title: '报告已审核通过',
          body: `${what}已审核通过。${input.comment ? `意见：${input.comment}` : ''}`,
          link: `/reporting/reports/${id}`,
        }
      : {
          kind: 'report.returned',
          title: '报告被退回，请修改后重新提交',
          body: `${what}被退回。意见：${input.comment}`,
          link: `/reporting/reports/${id}`,
        },
  );
}

export { assertEditable };

// ── bulk ────────────────────────────────────────────────────────────────────────────────────────────────────

function reasonOf(err: unknown): string {
  if (err instanceof AppError) {
    if (err.code === 'EXPLANATION_REQUIRED') return '有指标落后或低于上次审核值，须先填写说明';
    return err.message;
  }
  throw err;
}

const reportName = (r: ReportRow) => `${r.unit_name} · ${r.task_path} ${r.task_title}`;

/**
 * 提交全部: every draft or returned report of the unit in a cycle that is filled in (a value or a narrative) and
 * passes the submit checks, each in its own transaction; the others are listed with the reason.
 */
export async function submitAllReports(
  db: Kysely<Database>,
  ctx: Ctx,
  input: { cycleId: string; unitId?: string | undefined },
  notifier?: Notifier,
): Promise<BulkResult> {
  authenticate(ctx);
  const unitId = input.unitId ?? ctx.user.unitId;
  if (!unitId || !canCreateReport(ctx.user, unitId))
    throw new AppError('FORBIDDEN', '只有本单位的填报人可以提交本单位的报告');
  const cycle = await requireCycle(db, input.cycleId);
  assertCycleWritable(cycle, true);
  const rows = (await reportRowsOfUnit(db, unitId, [cycle.id])).filter(
    (r) => r.state === 'draft' || r.state === 'returned',
  );
  const items: BulkResult['items'] = [];
  for (const r of rows) {
    const full = await findReportRow(db, r.id);
    if (!full) continue;
    const values = await valueRows(db, r.id);
    if (full.narrative.trim() === '' && values.every((v) => v.value === null)) {
      items.push({ id: r.id, name: reportName(full), ok: false, reason: '尚未填写' });
      continue;
    }
    try {
      const out = await db
        .transaction()
        .execute((trx) => submitReportInTrx(trx, ctx, r.id, full.version, notifier));
      notifier?.afterCommit(out);
      items.push({ id: r.id, name: reportName(full), ok: true, reason: null });
    } catch (err) {
      items.push({ id: r.id, name: reportName(full), ok: false, reason: reasonOf(err) });
    }
  }
  const done = items.filter((i) => i.ok).length;
  return { done, skipped: items.length - done, items };
}

/** Approve or return several submitted reports with one comment, each in its own transaction. */
export async function reviewReports(
  db: Kysely<Database>,
  ctx: Ctx,
  input: BulkReview,
  notifier?: Notifier,
): Promise<BulkResult> {
  // Each report is checked against its own plan's jurisdiction in reviewReportInTrx.
  authorize(ctx, (u) => u.role === 'admin', '只有管理员可以审核报告');
  if (input.decision === 'return' && input.comment.trim() === '') {
    throw new AppError('VALIDATION_FAILED', '退回须填写意见', {
      fields: [{ path: 'body.comment', message: '退回须填写意见' }],
    });
  }
  const items: BulkResult['items'] = [];
  for (const id of [...new Set(input.reportIds)]) {
    const row = await findReportRow(db, id);
    if (!row) {
      items.push({ id, name: '（不存在的报告）', ok: false, reason: '报告不存在' });
      continue;
    }
    try {
      const out = await db
        .transaction()
        .execute((trx) =>
          reviewReportInTrx(
            trx,
            ctx,
            id,
            input.decision,
            { version: null, comment: input.comment },
            notifier,
          ),
        );
      notifier?.afterCommit(out);
      items.push({ id, name: reportName(row), ok: true, reason: null });
    } catch (err) {
      items.push({ id, name: reportName(row), ok: false, reason: reasonOf(err) });
    }
  }
  const done = items.filter((i) => i.ok).length;
  return { done, skipped: items.length - done, items };
}

/**
 * For exports that feed a bulletin: each report's entered values as one line ("指标：数值单位（区县）；…") and its
 * 进展说明. The caller has already decided which reports the user may read.
 */
export async function reportExportDetails(
  db: Kysely<Database>,
  reportIds: string[],
): Promise<Map<string, { values: string; narrative: string }>> {
  const out = new Map<string, { values: string; narrative: string }>();
  for (const r of await narrativesOfReports(db, reportIds))
    out.set(r.id, { values: '', narrative: r.narrative });
  for (const r of await valueRowsOfReports(db, reportIds)) {
    const text = `${r.indicator_text}：${r.value}${r.indicator_unit}${r.county_name ? `（${r.county_name}）` : ''}`;
    const entry = out.get(r.report_id);
    if (entry) entry.values = entry.values ? `${entry.values}；${text}` : text;
  }
  return out;
}
