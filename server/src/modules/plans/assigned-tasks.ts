import type { Kysely } from 'kysely';
import type { Database, IndicatorsTable, PlanTasksTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import {
  findIndicatorRow,
  findTaskRow,
  insertTaskLinkRows,
  replaceAssignments,
  bindingRowsOf,
  insertBindingRows,
  insertVersionContent,
  taskRowsOfVersion,
  updateIndicatorRow,
  updateTaskRow,
  versionHeads,
} from './plans.repository';

/** The heading under which a county plan keeps what the level above assigned it (分解下达). */
export const ASSIGNED_HEADING = '上级分解下达任务';

export interface AssignedTaskInput {
  /** The county plan that receives the task (its newest version is written). */
  planId: string;
  upperTask: PlanTasksTable;
  upperIndicator: IndicatorsTable;
  target: number;
  /** What an earlier assignment made, if anything: its target is updated when it is still in the newest version. */
  existing: { taskId: string | null; indicatorId: string | null };
  decidedBy: string | null;
}

const addTarget = (text: string, target: number, unit: string) =>
  `${text}（上级分解下达目标：${target}${unit === '%' ? '%' : unit}）`;

/**
 * Write an assigned task into a county plan: under the heading 上级分解下达任务 of its newest version, a task named as
 * the upper task with an indicator of the same kind and the county's target, linked (confirmed) to the upper task.
 * When an earlier assignment's indicator is still in the newest version, only its target changes. The caller (the
 * level above, 分解下达) has authorized the write; the county's own edits are not touched.
 */
export async function writeAssignedTask(
  trx: Kysely<Database>,
  input: AssignedTaskInput,
): Promise<{ taskId: string; indicatorId: string; created: boolean }> {
  const [head] = await versionHeads(trx, [input.planId]);
  if (!head) throw new AppError('NOT_FOUND', '县区规划没有版本');
  const now = nowIso();
  const u = input.upperIndicator;
  if (input.existing.indicatorId && input.existing.taskId) {
    const [row, task] = await Promise.all([
      findIndicatorRow(trx, input.existing.indicatorId),
      findTaskRow(trx, input.existing.taskId),
    ]);
    if (row && task?.version_id === head.id) {
      const changes = { target_value: String(input.target), text: addTarget(u.text, input.target, u.unit) };
      if (!(await updateIndicatorRow(trx, row.id, row.version, { ...changes, updated_at: now }))) {
        throw new AppError('CONFLICT', '县区规划的该指标正被修改，请稍后重试');
      }
      return { taskId: task.id, indicatorId: row.id, created: false };
    }
  }

  const tasks = await taskRowsOfVersion(trx, head.id);
  const nextOrder = tasks.reduce((m, t) => Math.max(m, t.sort_order), 0) + 1;
  const made: PlanTasksTable[] = [];
  let heading = tasks.find((t) => t.depth === 1 && t.title === ASSIGNED_HEADING);
  if (!heading) {
    const tops = tasks.filter((t) => t.parent_id === null).map((t) => Number.parseInt(t.path, 10));
    const n = tops.filter(Number.isFinite).reduce((m, x) => Math.max(m, x), 0) + 1;
    heading = {
      id: newId(),
      version_id: head.id,
      parent_id: null,
      path: String(n),
      label: '',
      kind: 'part',
      depth: 1,
      title: ASSIGNED_HEADING,
      population_group: null,
      sort_order: nextOrder,
      spans: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    made.push(heading);
  }
  const siblings = tasks.filter((t) => t.parent_id === heading.id).length;
  const task: PlanTasksTable = {
    id: newId(),
    version_id: head.id,
    parent_id: heading.id,
    path: `${heading.path}.${siblings + 1}`,
    label: `${siblings + 1}.`,
    kind: 'task',
    depth: 2,
    title: input.upperTask.title,
    population_group: input.upperTask.population_group,
    sort_order: nextOrder + made.length,
    spans: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  made.push(task);
  const indicator: IndicatorsTable = {
    id: newId(),
    task_id: task.id,
    kind: u.kind,
    text: addTarget(u.text, input.target, u.unit),
    comparator: u.comparator,
    target_value: String(input.target),
    unit: u.unit,
    period: u.period,
    deadline: u.deadline,
    baseline_value: null,
    baseline_year: null,
    breakdown_by_county: 0,
    sort_order: 1,
    span: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await insertVersionContent(trx, { tasks: made, assignments: [], indicators: [indicator] });
  // A target computed from the registries is computed the same way from the county's own records.
  const [bound] = await bindingRowsOf(trx, [u.id]);
  if (bound)
    await insertBindingRows(trx, [
      { ...bound, indicator_id: indicator.id, created_at: now, updated_at: now },
    ]);
  await insertTaskLinkRows(trx, [
    {
      id: newId(),
      task_id: task.id,
      target_task_id: input.upperTask.id,
      state: 'confirmed',
      score: 100,
      reasons: JSON.stringify(['上级分解下达']),
      decided_by: input.decidedBy,
      decided_at: now,
      created_at: now,
    },
  ]);
  return { taskId: task.id, indicatorId: indicator.id, created: true };
}

/** The unit that leads an assigned task in the county's plan (the county's own choice; the demo makes one). */
export async function setAssignedTaskLead(
  trx: Kysely<Database>,
  taskId: string,
  unit: { id: string; shortName: string },
): Promise<void> {
  // Like every change of a task's units, the task's version moves (the overview cache's fingerprint reads it).
  const task = await findTaskRow(trx, taskId);
  if (!task || !(await updateTaskRow(trx, taskId, task.version, { updated_at: nowIso() }))) {
    throw new AppError('CONFLICT', '任务正被修改，请稍后重试');
  }
  await replaceAssignments(trx, taskId, [
    {
      id: newId(),
      task_id: taskId,
      unit_id: unit.id,
      role: 'lead',
      written_name: unit.shortName,
      sort_order: 1,
    },
  ]);
}
