import { authenticate, authorize } from '../../authorize';
import type { Cycle, CycleCreate, CycleUpdate, Inbox, InboxItem, InboxState, Page } from '@kesu/shared';
import { CycleCreateSchema, INBOX_STATES } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type Ctx, isAtRoot } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { findPlanRow, versionHeads } from '../plans/plan-reads.service';
import { findUnitRow, unitJurisdictionPath } from '../units/unit-reads.service';
import { lateAfter, today } from '../progress/plan-dates';
import { planEnds } from '../progress/progress.service';
import { toCycle, toReportSummary } from './reporting.present';
import { canManageCycles, canReadCycles, canReadInbox } from './reporting.policy';
import {
  type CycleRow,
  findCycleRow,
  insertCycleRow,
  listCycleRows,
  openCycleRows,
  reportRowsOfUnit,
  unitAssignments,
  updateCycleRow,
} from './reporting.repository';

/** A cycle its admin may change: one of a plan of the jurisdiction it works in. */
export async function requireOwnCycle(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  notAdmin = '只有管理员可以管理填报周期',
): Promise<CycleRow> {
  authorize(ctx, (u) => u.role === 'admin', notAdmin);
  const row = await requireCycle(db, id);
  const plan = await findPlanRow(db, row.plan_id);
  if (!canManageCycles(ctx.user, plan?.jurisdiction_id ?? null)) {
    throw new AppError('FORBIDDEN', '只能管理本级规划的填报周期');
  }
  return row;
}

/** Cycles as the API shows them, with the end of each one's plan period. */
export async function toCycles(db: Kysely<Database>, rows: CycleRow[]): Promise<Cycle[]> {
  const ends = await planEnds(
    db,
    rows.map((r) => r.version_id),
  );
  return rows.map((r) => toCycle(r, ends.get(r.version_id) ?? null));
}

export async function requireCycle(db: Kysely<Database>, id: string): Promise<CycleRow> {
  const row = await findCycleRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '填报周期不存在');
  return row;
}

/** A locked cycle refuses every write; a closed one refuses the units' writes (`forUnit`). */
export function assertCycleWritable(cycle: { state: string; name: string }, forUnit: boolean): void {
  if (cycle.state === 'locked') {
    throw new AppError('CYCLE_LOCKED', `填报周期「${cycle.name}」已锁定，任何内容都不能再修改`);
  }
  if (forUnit && cycle.state === 'closed') {
    throw new AppError('CYCLE_CLOSED', `填报周期「${cycle.name}」已截止，不能再填报或修改`);
  }
}

export async function listCycles(
  db: Kysely<Database>,
  ctx: Ctx,
  q: { planId?: string; state?: string; page: number; pageSize: number },
): Promise<Page<Cycle>> {
  authorize(ctx, canReadCycles);
  // A county's staff see the cycles of the county's plans; the root's staff every plan's.
  const { rows, total } = await listCycleRows(db, q, isAtRoot(ctx.user) ? null : ctx.user.jurisdictionPath);
  return { items: await toCycles(db, rows), total, page: q.page, pageSize: q.pageSize };
}

export async function getCycle(db: Kysely<Database>, ctx: Ctx, id: string): Promise<Cycle> {
  authorize(ctx, canReadCycles);
  return (await toCycles(db, [await requireCycle(db, id)]))[0]!;
}

/** A new open cycle on the plan's published version (else its latest), or the version named. */
export async function createCycle(db: Kysely<Database>, ctx: Ctx, input: CycleCreate): Promise<Cycle> {
  authorize(ctx, (u) => u.role === 'admin', '只有管理员可以管理填报周期');
  const c = CycleCreateSchema.parse(input);
  const plan = await findPlanRow(db, c.planId);
  if (!plan) throw new AppError('NOT_FOUND', '规划不存在');
  authorize(ctx, (u) => canManageCycles(u, plan.jurisdiction_id), '只能为本级规划设置填报周期');
  const heads = await versionHeads(db, [plan.id]);
  const head = c.versionId
    ? heads.find((h) => h.id === c.versionId)
    : (heads.find((h) => h.is_published === 1) ?? heads[0]);
  if (!head) throw new AppError('NOT_FOUND', '该规划没有这个版本');
  const id = newId();
  const now = nowIso();
  try {
    await db.transaction().execute(async (trx) => {
      const row = {
        id,
        plan_id: plan.id,
        version_id: head.id,
        name: c.name,
        frequency: c.frequency,
        period_start: c.periodStart,
        period_end: c.periodEnd,
        due_date: c.dueDate,
        grace_days: c.graceDays,
        state: 'open',
        closed_at: null,
        locked_at: null,
        created_by: ctx.user?.id ?? null,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await insertCycleRow(trx, row);
      await recordAudit(trx, ctx, { action: 'cycle.create', entityType: 'cycle', entityId: id, after: row });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE', '该规划已有相同起止日期的填报周期');
    throw err;
  }
  return (await toCycles(db, [await requireCycle(db, id)]))[0]!;
}

export async function updateCycle(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: CycleUpdate,
): Promise<Cycle> {
  await db.transaction().execute(async (trx) => {
    const before = await requireOwnCycle(trx, ctx, id);
    assertCycleWritable(before, false);
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.dueDate !== undefined ? { due_date: input.dueDate } : {}),
      ...(input.graceDays !== undefined ? { grace_days: input.graceDays } : {}),
      updated_at: nowIso(),
    };
    if (!(await updateCycleRow(trx, id, input.version, changes))) {
      throw new AppError('CONFLICT', undefined, { currentVersion: before.version });
    }
    await recordAudit(trx, ctx, {
      action: 'cycle.update',
      entityType: 'cycle',
      entityId: id,
      before,
      after: changes,
    });
  });
  return (await toCycles(db, [await requireCycle(db, id)]))[0]!;
}

const TRANSITIONS = {
  close: { from: ['open'], to: 'closed', message: '只有填报中的周期可以截止' },
  reopen: { from: ['closed'], to: 'open', message: '只有已截止（未锁定）的周期可以重新开放' },
  lock: { from: ['open', 'closed'], to: 'locked', message: '周期已锁定' },
} as const;

/** close: units stop writing · reopen: a closed cycle opens again · lock: final, nothing changes any more. */
export async function transitionCycle(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  action: keyof typeof TRANSITIONS,
  expectedVersion: number,
): Promise<Cycle> {
  const t = TRANSITIONS[action];
  await db.transaction().execute(async (trx) => {
    const before = await requireOwnCycle(trx, ctx, id);
    if (before.state === 'locked') assertCycleWritable(before, false);
    if (!(t.from as readonly string[]).includes(before.state)) throw new AppError('INVALID_STATE', t.message);
    const now = nowIso();
    const changes = {
      state: t.to,
      updated_at: now,
      ...(action === 'close' ? { closed_at: now } : {}),
      ...(action === 'reopen' ? { closed_at: null } : {}),
      ...(action === 'lock' ? { locked_at: now, closed_at: before.closed_at ?? now } : {}),
    };
    if (!(await updateCycleRow(trx, id, expectedVersion, changes))) {
      throw new AppError('CONFLICT', undefined, { currentVersion: before.version });
    }
    await recordAudit(trx, ctx, {
      action: `cycle.${action}`,
      entityType: 'cycle',
      entityId: id,
      before: { state: before.state },
      after: { state: t.to },
    });
  });
  return (await toCycles(db, [await requireCycle(db, id)]))[0]!;
}

/**
 * What a unit has to do: for every open cycle, every task of the cycle's plan version the unit is assigned to
 * (lead or co), with the state of its report — due, overdue (past due date + grace, not submitted), returned, or
 * where the report stands.
 */
export async function getInbox(
  db: Kysely<Database>,
  ctx: Ctx,
  q: { unitId?: string },
  now: Date = new Date(),
): Promise<Inbox> {
  authenticate(ctx);
  const unitId = q.unitId ?? ctx.user.unitId;
  if (!unitId) throw new AppError('BAD_REQUEST', '请选择单位');
  if (!canReadInbox(ctx.user, unitId, await unitJurisdictionPath(db, unitId))) {
    throw new AppError('FORBIDDEN', '只能查看本单位的填报事项');
  }
  const unit = await findUnitRow(db, unitId);
  if (!unit) throw new AppError('NOT_FOUND', '单位不存在');
  const cycles = await openCycleRows(db);
  const assignments = await unitAssignments(db, unitId, [...new Set(cycles.map((c) => c.version_id))]);
  const reports = await reportRowsOfUnit(
    db,
    unitId,
    cycles.map((c) => c.id),
  );
  const reportOf = new Map(reports.map((r) => [`${r.cycle_id}|${r.task_id}`, r]));
  const shown = await toCycles(db, cycles);
  const day = today(now);
  const items: InboxItem[] = [];
  for (const [k, c] of cycles.entries()) {
    const late = day > lateAfter(c.due_date, c.grace_days);
    for (const a of assignments.filter((x) => x.version_id === c.version_id)) {
      const r = reportOf.get(`${c.id}|${a.task_id}`) ?? null;
      let inbox: InboxState;
      if (r?.state === 'returned') inbox = 'returned';
      else if (r?.state === 'submitted') inbox = 'submitted';
      else if (r?.state === 'approved') inbox = 'approved';
      else if (late) inbox = 'overdue';
      else inbox = r ? 'draft' : 'due';
      items.push({
        cycle: shown[k]!,
        taskId: a.task_id,
        taskPath: a.path,
        taskTitle: a.title,
        role: a.role === 'lead' ? 'lead' : 'co',
        inbox,
        report: r ? toReportSummary(r) : null,
      });
    }
  }
  const rank: Record<InboxState, number> = {
    overdue: 0,
    returned: 1,
    due: 2,
    draft: 3,
    submitted: 4,
    approved: 5,
  };
  items.sort((a, b) => rank[a.inbox] - rank[b.inbox] || a.cycle.dueDate.localeCompare(b.cycle.dueDate));
  const counts = Object.fromEntries(
    INBOX_STATES.map((s) => [s, items.filter((i) => i.inbox === s).length]),
  ) as Record<InboxState, number>;
  return { unitId, unitName: unit.short_name, today: day, items, counts };
}
