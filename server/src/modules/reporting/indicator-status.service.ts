import { authorize } from '../../authorize';
import { canReadSurveys } from '../surveys/surveys.policy';
import { type EvaluationResult, evaluateIndicator } from '@kesu/indicators';
import type {
  IndicatorStatus,
  IndicatorStatusQuery,
  IndicatorStatusRow,
  ObservationRef,
  TaskProgressNode,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { contentOfTasks, findPlanRow, taskRowsOfVersion, versionHeads } from '../plans/plan-reads.service';
import { requireCycle } from './cycles.service';
import { planStart } from './plan-dates';
import { rollUpPlan } from './plan-rollup';
import { collectObservations, countyIndex, populationTable, toEngineIndicator } from './observation-sources';
import { today } from './reporting.present';
import { canReadIndicatorStatus } from './reporting.policy';
import { cycleRowsOfPlan } from './reporting.repository';

/**
 * Where the plan stands: every indicator of a plan version evaluated by the indicator engine on the observations
 * of every registered source (unit reports today; survey waves and registries later, see observation-sources.ts),
 * with the rule and sentence behind each number and the reports behind each value; and the task tree's progress
 * rolled up (weights normalised over children with data; "no data" is shown, never counted as 0).
 */
export async function getIndicatorStatus(
  db: Kysely<Database>,
  ctx: Ctx,
  q: IndicatorStatusQuery,
  now: Date = new Date(),
): Promise<IndicatorStatus> {
  authorize(ctx, canReadIndicatorStatus);
  const plan = await findPlanRow(db, q.planId);
  if (!plan) throw new AppError('NOT_FOUND', '规划不存在');
  const cycles = await cycleRowsOfPlan(db, plan.id);
  let versionId: string;
  let asOf: string;
  let cycleId: string | null = null;
  if (q.cycleId) {
    const cycle = await requireCycle(db, q.cycleId);
    if (cycle.plan_id !== plan.id) throw new AppError('NOT_FOUND', '该规划没有这个填报周期');
    versionId = cycle.version_id;
    asOf = q.asOf ?? cycle.period_end;
    cycleId = cycle.id;
  } else {
    const heads = await versionHeads(db, [plan.id]);
    const latestCycle = cycles[cycles.length - 1];
    const head = latestCycle
      ? heads.find((h) => h.id === latestCycle.version_id)
      : (heads.find((h) => h.is_published === 1) ?? heads[0]);
    if (!head) throw new AppError('NOT_FOUND', '该规划没有版本');
    versionId = head.id;
    asOf = q.asOf ?? today(now);
  }
  const heads = await versionHeads(db, [plan.id]);
  const head = heads.find((h) => h.id === versionId);
  const startDate = planStart(head?.doc_date, cycles[0]?.period_start, asOf);

  const tasks = await taskRowsOfVersion(db, versionId);
  const content = await contentOfTasks(db, { versionId });
  const counties = await countyIndex(db);
  const [observations, population] = await Promise.all([
    // Unpublished survey waves are internal: only those who may read the surveys see their estimates here.
    collectObservations(db, content.indicators, undefined, {
      publishedSurveysOnly: !canReadSurveys(ctx.user),
    }),
    populationTable(db, counties.byName),
  ]);
  const taskById = new Map(tasks.map((t) => [t.id, t]));

  const results: EvaluationResult[] = [];
  const rows: IndicatorStatusRow[] = content.indicators.map((i) => {
    const engine = toEngineIndicator(i, content.breakdowns, startDate);
    const obs = observations.get(i.id) ?? [];
    const r = evaluateIndicator(engine, obs, {
      asOf,
      population,
      countyNames: counties.names,
      ...(engine.byCounty ? { counties: counties.ids } : {}),
    });
    results.push(r);
    const counted = new Set<string>();
    const key = (o: { source: { ref: string }; county?: string | undefined; period: string | number }) =>
      `${o.source.ref}|${o.county ?? ''}|${o.period}`;
    if (r.observation) counted.add(key(r.observation));
    for (const c of r.counties) if (c.observation) counted.add(key(c.observation));
    const sources: ObservationRef[] = obs
      .filter((o) => String(o.period) <= asOf)
      .map((o) => ({
        sourceKind: o.source.kind,
        ref: o.source.ref,
        label: o.source.label,
        value: o.value,
        period: o.period,
        countyId: o.county ?? null,
        countyName: o.county ? (counties.names[o.county] ?? null) : null,
        isCounted: counted.has(key(o)),
      }))
      .sort((a, b) => String(b.period).localeCompare(String(a.period)));
    const task = taskById.get(i.task_id);
    return {
      indicatorId: i.id,
      taskId: i.task_id,
      taskPath: task?.path ?? '',
      taskTitle: task?.title ?? '',
      text: i.text,
      kind: i.kind,
      comparator: i.comparator,
      unit: i.unit,
      target: r.target,
      actual: r.actual,
      expected: r.expected,
      elapsedShare: r.elapsedShare,
      progress: r.progress,
      status: r.status,
      formula: r.explanation.formula,
      ruleText: r.explanation.ruleText,
      explanation: r.explanation.text,
      counties: r.counties.map((c) => ({
        countyId: c.county,
        countyName: counties.names[c.county] ?? c.county,
        status: c.status,
        actual: c.actual,
        text: c.explanation.text,
      })),
      anomalies: r.anomalies.map((a) => a.message),
      sources,
    };
  });

  // Completion of every task and of the whole plan: one formula (plan-rollup.ts, docs/PROGRESS.md).
  const completion = rollUpPlan(tasks, content.indicators, results);
  const progressOf = completion.byTask;
  const taskNodes: TaskProgressNode[] = tasks.map((t) => {
    const n = progressOf.get(t.id);
    return {
      taskId: t.id,
      parentId: t.parent_id,
      path: t.path,
      title: t.title,
      depth: t.depth,
      progress: n?.progress ?? null,
      status: n?.status ?? null,
      childrenWithoutData: n?.childrenWithoutData ?? 0,
      explanation: n?.explanation.text ?? '无数据',
    };
  });
  const counts = { green: 0, yellow: 0, red: 0, no_data: 0 };
  for (const r of rows) counts[r.status] += 1;
  return {
    planId: plan.id,
    planTitle: plan.title,
    versionId,
    asOf,
    cycleId,
    indicators: rows,
    tasks: taskNodes,
    counts,
    overall: {
      progress: completion.root.progress,
      counted: completion.counted,
      withoutData: completion.withoutData,
      explanation: completion.root.explanation.text,
    },
  };
}
