import type { Allocation, AllocationCounty, AllocationInput, IndicatorKind } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize, type SignedInCtx } from '../../authorize';
import { type Ctx, readsJurisdiction, worksIn } from '../../context';
import type { AllocationsTable, Database, IndicatorsTable, JurisdictionsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { childJurisdictions } from '../jurisdictions/jurisdictions.service';
import { writeAssignedTask } from '../plans/assigned-tasks';
import {
  findIndicatorRow,
  findPlanRow,
  findTaskRow,
  findVersionHead,
  planJurisdictionPath,
  planRowsOfJurisdiction,
  versionHeads,
} from '../plans/plan-reads.service';
import { replaceIndicatorBreakdowns } from '../plans/plans.service';
import { countyIndex, populationTable } from '../progress/progress-reads.service';
import { canAllocate, canReadAllocations } from './allocations.policy';
import {
  allocationRowsOf,
  deleteAllocationRows,
  insertAllocationRow,
  updateAllocationRow,
} from './allocations.repository';

/** Counts are split into quotas; shares and rates are the same for every county. */
const modeOf = (kind: string): 'quota' | 'rate' =>
  kind === 'cumulative' || kind === 'annual' ? 'quota' : 'rate';

/** Quotas add up to the target: equal within a millionth (decimal quotas typed by hand). */
const addsUp = (sum: number, target: number) =>
  Math.abs(sum - target) <= 1e-6 * Math.max(1, Math.abs(target));

interface Loaded {
  indicator: IndicatorsTable;
  task: NonNullable<Awaited<ReturnType<typeof findTaskRow>>>;
  planId: string;
  planJurisdictionId: string;
  versionIsLatest: boolean;
}

async function load(db: Kysely<Database>, indicatorId: string): Promise<Loaded> {
  const indicator = await findIndicatorRow(db, indicatorId);
  if (!indicator) throw new AppError('NOT_FOUND', '指标不存在');
  const task = await findTaskRow(db, indicator.task_id);
  const head = task ? await findVersionHead(db, task.version_id) : undefined;
  const plan = head ? await findPlanRow(db, head.plan_id) : undefined;
  if (!task || !head || !plan?.jurisdiction_id) throw new AppError('NOT_FOUND', '指标不存在');
  const [latest] = await versionHeads(db, [plan.id]);
  return {
    indicator,
    task,
    planId: plan.id,
    planJurisdictionId: plan.jurisdiction_id,
    versionIsLatest: latest?.id === head.id,
  };
}

/** The newest plan of a jurisdiction and its title (null: it has none yet). */
async function newestPlan(db: Kysely<Database>, jurisdictionId: string) {
  const [plan] = await planRowsOfJurisdiction(db, jurisdictionId);
  return plan ? { id: plan.id, title: plan.title } : null;
}

async function view(db: Kysely<Database>, l: Loaded): Promise<Allocation> {
  const [children, rows, counties] = await Promise.all([
    childJurisdictions(db, l.planJurisdictionId),
    allocationRowsOf(db, l.indicator.id),
    countyIndex(db),
  ]);
  const population = await populationTable(db, counties.byName);
  const rowOf = new Map(rows.map((r) => [r.jurisdiction_id, r]));
  const out: AllocationCounty[] = [];
  for (const j of children) {
    const r = rowOf.get(j.id);
    const pop = population
      .filter((p) => p.county !== null && p.county === j.government_unit_id)
      .sort((a, b) => b.year - a.year)[0];
    const plan = await newestPlan(db, j.id);
    out.push({
      jurisdictionId: j.id,
      name: j.name,
      population: pop?.population ?? null,
      populationYear: pop?.year ?? null,
      planId: plan?.id ?? null,
      planTitle: plan?.title ?? null,
      target: r ? Number(r.target_value) : null,
      countyTaskId: r?.county_task_id ?? null,
      countyIndicatorId: r?.county_indicator_id ?? null,
    });
  }
  const mode = modeOf(l.indicator.kind);
  const allocatedAt = rows.reduce<string | null>(
    (m, r) => (m === null || r.updated_at > m ? r.updated_at : m),
    null,
  );
  return {
    indicatorId: l.indicator.id,
    planId: l.planId,
    taskPath: l.task.path,
    taskTitle: l.task.title,
    text: l.indicator.text,
    kind: l.indicator.kind as IndicatorKind,
    unit: l.indicator.unit,
    target: Number(l.indicator.target_value),
    mode,
    allocatedAt,
    counties: out,
    sum: mode === 'quota' && rows.length > 0 ? rows.reduce((s, r) => s + Number(r.target_value), 0) : null,
  };
}

/**
 * An indicator of the reader's own level, of a level below it, or of a level above it (a county sees what the city
 * assigned it); another branch's is not found.
 */
async function requireVisible(db: Kysely<Database>, ctx: SignedInCtx, l: Loaded): Promise<void> {
  const path = await planJurisdictionPath(db, l.planId);
  const above = path !== null && (ctx.user.jurisdictionPath?.startsWith(path) ?? false);
  if (!above && !readsJurisdiction(ctx.user, path)) throw new AppError('NOT_FOUND', '指标不存在');
}

/** How an indicator is (or would be) assigned to the counties of its plan's jurisdiction. */
export async function getAllocation(
  db: Kysely<Database>,
  ctx: Ctx,
  indicatorId: string,
): Promise<Allocation> {
  authorize(ctx, canReadAllocations);
  const l = await load(db, indicatorId);
  await requireVisible(db, ctx, l);
  return view(db, l);
}

/**
 * 分解下达: assign an indicator of the level's own plan to its counties. Counts take quotas that must add up to the
 * target; shares and rates take one rate for every county. The indicator is then evaluated by county with those
 * targets (its value rolls up from the counties: counts summed, shares pooled over the residents), and every county
 * with a plan receives a task and an indicator of its own (上级分解下达任务), linked to the upper task. A county
 * without a plan keeps its target and receives the task when this is saved again after it has imported one.
 */
export async function allocateIndicator(
  db: Kysely<Database>,
  ctx: Ctx,
  indicatorId: string,
  input: AllocationInput,
): Promise<Allocation> {
  authorize(ctx, canAllocate);
  return db.transaction().execute(async (trx) => {
    const l = await load(trx, indicatorId);
    await requireVisible(trx, ctx, l);
    if (!worksIn(ctx.user, l.planJurisdictionId)) {
      throw new AppError('FORBIDDEN', '只能分解下达本级规划的指标');
    }
    return allocateLoaded(trx, ctx, l, input, ctx.user.id);
  });
}

/**
 * 分解下达 inside the caller's transaction, for the system's own work (the demo's counties): the same rules and
 * writes as an admin's, without a signed-in user; the caller has decided it may.
 */
export async function allocateIndicatorInTrx(
  trx: Kysely<Database>,
  ctx: Ctx,
  indicatorId: string,
  input: AllocationInput,
): Promise<Allocation> {
  return allocateLoaded(trx, ctx, await load(trx, indicatorId), input, null);
}

async function allocateLoaded(
  trx: Kysely<Database>,
  ctx: Ctx,
  l: Loaded,
  input: AllocationInput,
  userId: string | null,
): Promise<Allocation> {
  if (!l.versionIsLatest) throw new AppError('INVALID_STATE', '只能分解下达最新版本的指标');
  const mode = modeOf(l.indicator.kind);
  if (input.mode !== mode) {
    throw new AppError(
      'VALIDATION_FAILED',
      mode === 'quota'
        ? '数量型指标按配额分解：各县区配额合计应等于本级目标'
        : '比例型指标按统一比例下达：每个县区的目标相同',
      { field: 'mode' },
    );
  }
  const children = await childJurisdictions(trx, l.planJurisdictionId);
  if (children.length === 0) throw new AppError('INVALID_STATE', '本级没有下级县区，无法分解下达');
  const childById = new Map(children.map((j) => [j.id, j]));
  const target = Number(l.indicator.target_value);
  const targets = new Map<string, number>();
  if (input.mode === 'quota') {
    for (const q of input.quotas) {
      if (!childById.has(q.jurisdictionId)) {
        throw new AppError('VALIDATION_FAILED', '只能下达到本级的下级县区', { field: 'quotas' });
      }
      if (q.targetValue > 0) targets.set(q.jurisdictionId, q.targetValue);
    }
    const sum = [...targets.values()].reduce((s, v) => s + v, 0);
    if (!addsUp(sum, target)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `各县区配额合计 ${sum}${l.indicator.unit}，与本级目标 ${target}${l.indicator.unit} 不一致`,
        { field: 'quotas' },
      );
    }
  } else {
    for (const j of children) targets.set(j.id, input.rate);
  }

  const before = await allocationRowsOf(trx, l.indicator.id);
  const beforeOf = new Map(before.map((r) => [r.jurisdiction_id, r]));
  const now = nowIso();
  // The upper indicator: evaluated by county with the counties' targets (breakdowns keyed by their government units).
  await replaceIndicatorBreakdowns(
    trx,
    l.indicator,
    [...targets].flatMap(([id, value]) => {
      const unitId = childById.get(id)!.government_unit_id;
      return unitId ? [{ unitId, targetValue: value }] : [];
    }),
  );
  const name = (j: JurisdictionsTable | undefined) => j?.short_name ?? '';
  for (const [id, value] of targets) {
    const j = childById.get(id)!;
    const was = beforeOf.get(id);
    const plan = await newestPlan(trx, id);
    const placed = plan
      ? await writeAssignedTask(trx, {
          planId: plan.id,
          upperTask: l.task,
          upperIndicator: l.indicator,
          target: value,
          existing: { taskId: was?.county_task_id ?? null, indicatorId: was?.county_indicator_id ?? null },
          decidedBy: userId,
        })
      : null;
    const changes: Partial<AllocationsTable> = {
      // An assignment saved by a person is real, whoever made it first.
      ...(userId ? { demo_batch_id: null } : {}),
      mode,
      target_value: String(value),
      county_task_id: placed?.taskId ?? was?.county_task_id ?? null,
      county_indicator_id: placed?.indicatorId ?? was?.county_indicator_id ?? null,
      updated_at: now,
    };
    if (was) await updateAllocationRow(trx, was.id, changes);
    else {
      await insertAllocationRow(trx, {
        id: newId(),
        indicator_id: l.indicator.id,
        jurisdiction_id: j.id,
        mode,
        target_value: String(value),
        county_task_id: changes.county_task_id ?? null,
        county_indicator_id: changes.county_indicator_id ?? null,
        created_by: userId,
        created_at: now,
        updated_at: now,
      });
    }
  }
  // Counties no longer given a share lose the assignment; what their plans already hold stays theirs.
  await deleteAllocationRows(
    trx,
    before.filter((r) => !targets.has(r.jurisdiction_id)).map((r) => r.id),
  );
  const after = await view(trx, l);
  await recordAudit(trx, ctx, {
    action: 'plan.indicator.allocate',
    entityType: 'indicator',
    entityId: l.indicator.id,
    before: Object.fromEntries(
      before.map((r) => [name(childById.get(r.jurisdiction_id)), Number(r.target_value)]),
    ),
    after: {
      mode: mode === 'quota' ? '配额' : '统一比例',
      ...Object.fromEntries([...targets].map(([id, v]) => [name(childById.get(id)), v])),
      未有规划: after.counties.filter((c) => c.target !== null && c.planId === null).map((c) => c.name),
    },
  });
  return after;
}
