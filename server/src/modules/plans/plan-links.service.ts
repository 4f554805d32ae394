import type { PlanLinkRow, PlanLinks, TaskLinksUpdate } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database, PlansTable, PlanTasksTable, TaskLinksTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { parentJurisdictionId } from '../jurisdictions/jurisdictions.service';
import {
  confirmTaskLinkRows,
  contentOfTasks,
  deleteTaskLinks,
  findTaskRow,
  findVersionHead,
  insertTaskLinkRows,
  planRowsOfJurisdiction,
  taskLinkRows,
  taskRowsOfVersion,
  versionHeads,
} from './plans.repository';
import { assertOwnPlan, requireManage, requirePlan, requireRead } from './plans.service';
import { type LinkableTask, proposeLink } from './task-links';

/** Tasks that can implement or be implemented: below the top-level parts (一、总体要求 …). */
const linkable = (t: PlanTasksTable) => t.depth >= 2;

/** The newest version of a plan (the one being worked on). */
async function latestVersionId(db: Kysely<Database>, planId: string): Promise<string> {
  const [head] = await versionHeads(db, [planId]);
  if (!head) throw new AppError('NOT_FOUND', '该规划没有版本');
  return head.id;
}

/** The plan a county plan's tasks link to, and the version whose tasks they are. */
type ParentPlan = { id: string; title: string; versionId: string };

/** The plan of the jurisdiction above: its published version, else the newest version of its newest plan. */
async function parentPlanOf(db: Kysely<Database>, jurisdictionId: string | null): Promise<ParentPlan | null> {
  const parentId = jurisdictionId === null ? null : await parentJurisdictionId(db, jurisdictionId);
  if (parentId === null) return null;
  const plans = await planRowsOfJurisdiction(db, parentId);
  if (plans.length === 0) return null;
  const heads = await versionHeads(
    db,
    plans.map((p) => p.id),
  );
  const published = heads.find((h) => h.is_published === 1);
  const chosen = published ?? heads.find((h) => h.plan_id === plans[0]!.id);
  if (!chosen) return null;
  const plan = plans.find((p) => p.id === chosen.plan_id)!;
  return { id: plan.id, title: plan.title, versionId: chosen.id };
}

/** Tasks of a version as the proposal reads them: title, key population, kinds of their targets. */
async function linkableTasks(
  db: Kysely<Database>,
  versionId: string,
): Promise<(PlanTasksTable & LinkableTask)[]> {
  const tasks = (await taskRowsOfVersion(db, versionId)).filter(linkable);
  const content = await contentOfTasks(db, { versionId });
  const kinds = new Map<string, string[]>();
  for (const i of content.indicators) kinds.set(i.task_id, [...(kinds.get(i.task_id) ?? []), i.kind]);
  return tasks.map((t) => ({
    ...t,
    populationGroup: t.population_group,
    targetKinds: kinds.get(t.id) ?? [],
  }));
}

async function linksView(
  db: Kysely<Database>,
  planId: string,
  parent: Awaited<ReturnType<typeof parentPlanOf>>,
): Promise<PlanLinks> {
  const versionId = await latestVersionId(db, planId);
  const tasks = (await taskRowsOfVersion(db, versionId)).filter(linkable);
  const links = await taskLinkRows(
    db,
    tasks.map((t) => t.id),
  );
  const parentTasks = parent ? (await taskRowsOfVersion(db, parent.versionId)).filter(linkable) : [];
  const rows: PlanLinkRow[] = tasks.map((t) => ({
    taskId: t.id,
    path: t.path,
    title: t.title,
    depth: t.depth,
    links: links
      .filter((l) => l.task_id === t.id && (l.state === 'proposed' || l.state === 'confirmed'))
      .sort((a, b) => a.target_order - b.target_order)
      .map((l) => ({
        targetTaskId: l.target_task_id,
        targetPath: l.target_path,
        targetTitle: l.target_title,
        state: l.state as 'proposed' | 'confirmed',
        score: l.score,
        reasons: JSON.parse(l.reasons) as string[],
      })),
  }));
  const confirmed = rows.filter((r) => r.links.some((l) => l.state === 'confirmed')).length;
  const proposed = rows.filter(
    (r) => r.links.length > 0 && r.links.every((l) => l.state === 'proposed'),
  ).length;
  return {
    planId,
    parentPlan: parent,
    parentTasks: parentTasks.map((t) => ({ id: t.id, path: t.path, title: t.title })),
    tasks: rows,
    confirmed,
    proposed,
    unlinked: rows.length - confirmed - proposed,
  };
}

/** A county plan's tasks with their links to the plan of the level above. */
export async function getPlanLinks(db: Kysely<Database>, ctx: Ctx, planId: string): Promise<PlanLinks> {
  requireRead(ctx);
  const plan = await requirePlan(db, ctx, planId);
  return linksView(db, planId, await parentPlanOf(db, plan.jurisdiction_id));
}

/**
 * Propose, for every task of the plan's newest version without a confirmed link, the task of the plan above that it
 * most likely implements (task-links.ts). Earlier proposals are replaced; confirmed links and rejected pairs stay.
 */
export async function proposePlanLinks(db: Kysely<Database>, ctx: Ctx, planId: string): Promise<PlanLinks> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    const plan = await requirePlan(trx, ctx, planId);
    assertOwnPlan(ctx, plan);
    const { parent, proposed } = await proposeLinksInTrx(trx, plan);
    await recordAudit(trx, ctx, {
      action: 'plan.propose-links',
      entityType: 'plan',
      entityId: planId,
      after: { proposed: proposed.length, parentPlan: parent.title },
    });
    return linksView(trx, planId, parent);
  });
}

/**
 * The proposal of proposePlanLinks, in the caller's transaction and without asking who acts (the caller has: the
 * county admin through proposePlanLinks, the demo loader for its own county plans). Returns the plan above and the
 * rows proposed.
 */
export async function proposeLinksInTrx(
  trx: Kysely<Database>,
  plan: Pick<PlansTable, 'id' | 'jurisdiction_id'>,
): Promise<{ parent: ParentPlan; proposed: TaskLinksTable[] }> {
  const parent = await parentPlanOf(trx, plan.jurisdiction_id);
  if (!parent) throw new AppError('INVALID_STATE', '上级还没有规划，无法对接：请待上级导入规划后再试');
  const tasks = await linkableTasks(trx, await latestVersionId(trx, plan.id));
  const targets = await linkableTasks(trx, parent.versionId);
  const ids = tasks.map((t) => t.id);
  await deleteTaskLinks(trx, ids, ['proposed']);
  const existing = await taskLinkRows(trx, ids);
  const now = nowIso();
  const rows: TaskLinksTable[] = [];
  for (const t of tasks) {
    const mine = existing.filter((l) => l.task_id === t.id);
    if (mine.some((l) => l.state === 'confirmed')) continue;
    const rejected = new Set(mine.filter((l) => l.state === 'rejected').map((l) => l.target_task_id));
    const p = proposeLink(t, targets, rejected);
    if (!p) continue;
    rows.push({
      id: newId(),
      task_id: t.id,
      target_task_id: p.targetId,
      state: 'proposed',
      score: p.score,
      reasons: JSON.stringify(p.reasons),
      decided_by: null,
      decided_at: null,
      created_at: now,
    });
  }
  await insertTaskLinkRows(trx, rows);
  return { parent, proposed: rows };
}

/**
 * Confirm proposals as they stand, storing what setTaskLinks stores when the county admin keeps the proposed task:
 * state 'confirmed' with the proposal's score and reasons, decided now by the acting user (none: the system).
 * In the caller's transaction; the caller has decided which proposals to keep.
 */
export async function confirmProposedLinksInTrx(
  trx: Kysely<Database>,
  ctx: Ctx,
  linkIds: string[],
): Promise<void> {
  await confirmTaskLinkRows(trx, linkIds, ctx.user?.id ?? null, nowIso());
}

/**
 * The county admin decides which tasks of the plan above a task implements (empty: none). Proposals not chosen are
 * remembered as rejected and not proposed again.
 */
export async function setTaskLinks(
  db: Kysely<Database>,
  ctx: Ctx,
  taskId: string,
  input: TaskLinksUpdate,
): Promise<PlanLinks> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    const task = await findTaskRow(trx, taskId);
    if (!task) throw new AppError('NOT_FOUND', '任务不存在');
    const version = await findVersionHead(trx, task.version_id);
    if (!version) throw new AppError('NOT_FOUND', '任务不存在');
    const planId = version.plan_id;
    const plan = await requirePlan(trx, ctx, planId);
    assertOwnPlan(ctx, plan);
    const parent = await parentPlanOf(trx, plan.jurisdiction_id);
    if (!parent) throw new AppError('INVALID_STATE', '上级还没有规划，无法对接');
    const parentTasks = (await taskRowsOfVersion(trx, parent.versionId)).filter(linkable);
    const allowed = new Set(parentTasks.map((t) => t.id));
    const chosen = [...new Set(input.targetTaskIds)];
    const stray = chosen.filter((id) => !allowed.has(id));
    if (stray.length > 0)
      throw new AppError('VALIDATION_FAILED', '只能对接上级规划中的任务', { field: 'targetTaskIds' });
    const before = await taskLinkRows(trx, [taskId]);
    const now = nowIso();
    await deleteTaskLinks(trx, [taskId], ['proposed', 'confirmed', 'rejected']);
    const rejected = before
      .filter((l) => (l.state === 'proposed' || l.state === 'rejected') && !chosen.includes(l.target_task_id))
      .map((l) => l.target_task_id);
    const userId = ctx.user.id;
    await insertTaskLinkRows(trx, [
      ...chosen.map((target) => {
        const was = before.find((l) => l.target_task_id === target);
        return {
          id: newId(),
          task_id: taskId,
          target_task_id: target,
          state: 'confirmed',
          score: was?.score ?? 0,
          reasons: was?.reasons ?? '[]',
          decided_by: userId,
          decided_at: now,
          created_at: now,
        };
      }),
      ...rejected.map((target) => ({
        id: newId(),
        task_id: taskId,
        target_task_id: target,
        state: 'rejected',
        score: before.find((l) => l.target_task_id === target)?.score ?? 0,
        reasons: '[]',
        decided_by: userId,
        decided_at: now,
        created_at: now,
      })),
    ]);
    await recordAudit(trx, ctx, {
      action: 'plan.link-task',
      entityType: 'plan_task',
      entityId: taskId,
      before: { linkedTo: before.filter((l) => l.state === 'confirmed').map((l) => l.target_path) },
      after: { linkedTo: parentTasks.filter((t) => chosen.includes(t.id)).map((t) => t.path) },
    });
    return linksView(trx, planId, parent);
  });
}
