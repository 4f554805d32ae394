import { type EvaluationResult, type RollupNode, type RollupResult, rollUp } from '@kesu/indicators';

/**
 * THE completion formula of the plan, its parts and its tasks (docs/PROGRESS.md): the mean completion of the
 * indicators beneath, each indicator weighing the same; indicators without data are left out and counted apart.
 *
 * It is built on the engine's weighted roll-up: an indicator weighs 1, a task weighs the number of indicators with
 * data beneath it, so each level's Σ wᵢ·pᵢ / Σ wᵢ is exactly the mean over its indicators. (Weighing the parts
 * equally instead made 二, with one survey indicator, weigh as much as 三 with fourteen.)
 */
export interface PlanRollup {
  /** The whole plan. */
  root: RollupResult;
  /** Each task's node, by task id. */
  byTask: Map<string, RollupResult>;
  /** Indicators with data (counted) and without (left out), over the whole plan. */
  counted: number;
  withoutData: number;
}

export function rollUpPlan(
  tasks: readonly { id: string; parent_id: string | null; title: string }[],
  indicators: readonly { id: string; task_id: string }[],
  results: readonly EvaluationResult[],
): PlanRollup {
  const hasData = new Set(results.filter((r) => r.status !== 'no_data').map((r) => r.indicatorId));
  const childrenOf = new Map<string | null, (typeof tasks)[number][]>();
  for (const t of tasks) childrenOf.set(t.parent_id, [...(childrenOf.get(t.parent_id) ?? []), t]);
  const indicatorsOf = new Map<string, string[]>();
  for (const i of indicators) indicatorsOf.set(i.task_id, [...(indicatorsOf.get(i.task_id) ?? []), i.id]);

  // A task's children are its indicators and its sub-tasks; a task with neither is a leaf without data (progress
  // comes from indicators only, never from a self-assessed status).
  const nodeOf = (t: (typeof tasks)[number]): { node: RollupNode; withData: number } => {
    const own = indicatorsOf.get(t.id) ?? [];
    const subs = (childrenOf.get(t.id) ?? []).map(nodeOf);
    const withData = own.filter((id) => hasData.has(id)).length + subs.reduce((s, c) => s + c.withData, 0);
    const kids: RollupNode[] = [
      ...own.map((id) => ({ id: `i:${id}`, indicatorId: id })),
      ...subs.map((c) => c.node),
    ];
    const node: RollupNode =
      kids.length > 0
        ? { id: t.id, label: t.title, weight: withData, children: kids }
        : { id: t.id, label: t.title, weight: 0, progress: null };
    return { node, withData };
  };
  const tops = (childrenOf.get(null) ?? []).map(nodeOf);
  const root = rollUp({ id: 'root', label: '规划总体', children: tops.map((c) => c.node) }, [...results]);
  const byTask = new Map<string, RollupResult>();
  const walk = (n: RollupResult) => {
    byTask.set(n.id, n);
    n.children.forEach(walk);
  };
  root.children.forEach(walk);
  const counted = indicators.filter((i) => hasData.has(i.id)).length;
  return { root, byTask, counted, withoutData: indicators.length - counted };
}
