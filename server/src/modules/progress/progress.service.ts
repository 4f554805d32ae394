import { type EvaluationResult, evaluateIndicator } from '@kesu/indicators';
import type {
  IndicatorStatus,
  IndicatorStatusRow,
  LightCounts,
  ObservationRef,
  TaskProgressNode,
  Timeliness,
  UnitTimeliness,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database, IndicatorsTable, PlanTasksTable, ReportingCyclesTable } from '../../db/schema';
import { AppError } from '../../errors';
import {
  contentOfTasks,
  findPlanRow,
  findVersionHead,
  taskRowsOfVersion,
  versionHeads,
} from '../plans/plan-reads.service';
import {
  collectObservations,
  type CountyIndex,
  observationReads,
  planScope,
  toEngineIndicator,
} from './observation-sources';
import { asOfDate, lateAfter, planEndOf, planStart, today } from './plan-dates';
import { type PlanRollup, rollUpPlan } from './plan-rollup';
import {
  cycleExists,
  cycleReportRows,
  evaluationFingerprint,
  planCycleRows,
  planEndRows,
} from './progress.repository';

export interface EvaluatePlanInput {
  planId: string;
  /** The cycle judged (its plan version, its period end as the as-of date, its reports for timeliness). */
  cycleId?: string | undefined;
  /** The date the figures stand at; default: the cycle's period end, else today. */
  asOf?: string | undefined;
  /** Only published survey waves count (everyone who may not read the surveys module, and the public). */
  publishedSurveysOnly: boolean;
}

/** One assignment (unit × task) of the cycle and where its report stands. */
export interface AssignmentState {
  unitId: string;
  unitName: string;
  taskId: string;
  taskPath: string;
  taskTitle: string;
  reportId: string | null;
  state: string | null;
  firstSubmittedAt: string | null;
  timeliness: Timeliness;
}

/** Where a plan stands, with the inputs and rules it was computed from. */
export interface PlanEvaluation {
  plan: { id: string; title: string; jurisdictionId: string | null };
  versionId: string;
  cycle: (ReportingCyclesTable & { lateAfter: string }) | null;
  asOf: string;
  /** The day the evaluation was made (timeliness: a report not yet in is 'pending' until its late date passes). */
  today: string;
  /** The plan period (plan-dates.ts): 序时进度 runs from start to end; after the end the verdict is final (终期). */
  period: { start: string; end: string | null; afterEnd: boolean };
  /** Inputs, each read once. */
  tasks: PlanTasksTable[];
  content: Awaited<ReturnType<typeof contentOfTasks>>;
  counties: CountyIndex;
  /** Every indicator evaluated by the engine, with its sources. */
  indicators: IndicatorStatusRow[];
  /** The task tree rolled up by THE completion formula (plan-rollup.ts). */
  rollup: PlanRollup;
  taskNodes: TaskProgressNode[];
  counts: LightCounts;
  /** Reporting on time in the cycle: every assignment of its version against the cycle's late date. */
  timeliness: { assignments: AssignmentState[]; units: UnitTimeliness[]; total: TimelinessTotal };
}

export interface TimelinessTotal {
  expected: number;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
  /** On time ÷ what was due by the evaluation day (expected − pending); null when nothing was due yet. */
  onTimeRate: number | null;
}

function timelinessOf(firstSubmittedAt: string | null, late: string, day: string): Timeliness {
  if (firstSubmittedAt) return firstSubmittedAt.slice(0, 10) <= late ? 'on_time' : 'late';
  return day > late ? 'missing' : 'pending';
}

const rate = (onTime: number, due: number) => (due > 0 ? onTime / due : null);

/**
 * THE evaluation of a plan (docs/PROGRESS.md): for a cycle or an as-of date, every indicator judged by the engine on
 * the observations of every registered source, the task tree rolled up by one completion formula, and reporting
 * timeliness. It knows no request: callers authorize, and say whether unpublished survey waves may count.
 * Dashboards, the indicator page, alerts, exports and published snapshots all come from here.
 */
export async function evaluatePlan(
  db: Kysely<Database>,
  input: EvaluatePlanInput,
  now: Date = new Date(),
): Promise<PlanEvaluation> {
  const day = today(now);
  const [plan, cycles, heads] = await Promise.all([
    findPlanRow(db, input.planId),
    planCycleRows(db, input.planId),
    versionHeads(db, [input.planId]),
  ]);
  if (!plan) throw new AppError('NOT_FOUND', '规划不存在');
  let cycle: ReportingCyclesTable | null = null;
  if (input.cycleId) {
    cycle = cycles.find((c) => c.id === input.cycleId) ?? null;
    if (!cycle) {
      throw new AppError(
        'NOT_FOUND',
        (await cycleExists(db, input.cycleId)) ? '该规划没有这个填报周期' : '填报周期不存在',
      );
    }
  }
  // The version judged: the cycle's; else the latest cycle's; else the published (or newest) version.
  const latestCycle = cycles[cycles.length - 1];
  const versionId = cycle?.version_id ?? latestCycle?.version_id;
  const head = versionId
    ? heads.find((h) => h.id === versionId)
    : (heads.find((h) => h.is_published === 1) ?? heads[0]);
  if (!head) throw new AppError('NOT_FOUND', '该规划没有版本');
  const asOf = asOfDate(cycle, input.asOf, now);
  const start = planStart(head.doc_date, cycles[0]?.period_start, asOf);

  const [tasks, content, scope, reports] = await Promise.all([
    taskRowsOfVersion(db, head.id),
    contentOfTasks(db, { versionId: head.id }),
    planScope(db, plan.jurisdiction_id),
    cycle ? cycleReportRows(db, cycle.id) : Promise.resolve([]),
  ]);
  // Below the root, a jurisdiction without children breaks nothing down: its own figure is the whole.
  const counties: CountyIndex = scope.counties ?? { ids: [], names: {}, byName: new Map() };
  const population = scope.population;
  const end = planEndOf(content.indicators);
  const observations = await collectObservations(db, content.indicators, undefined, {
    publishedSurveysOnly: input.publishedSurveysOnly,
    asOf,
    // Registry queries answer as of each cycle's end (reports' period) as well as the day judged.
    dates: cycles.map((c) => c.period_end),
  });

  const taskById = new Map(tasks.map((t) => [t.id, t]));
  const results: EvaluationResult[] = [];
  const indicators = content.indicators.map((i) => {
    const engine = toEngineIndicator(i, content.breakdowns, start);
    const r = evaluateIndicator(
      scope.counties ? engine : { ...engine, byCounty: false },
      observations.get(i.id) ?? [],
      {
        asOf,
        population,
        countyNames: counties.names,
        ...(i.breakdown_by_county === 1 ? { counties: counties.ids } : {}),
      },
    );
    results.push(r);
    return statusRow(i, taskById.get(i.task_id), r, observations.get(i.id) ?? [], asOf, counties);
  });

  const rollup = rollUpPlan(tasks, content.indicators, results);
  const taskNodes: TaskProgressNode[] = tasks.map((t) => {
    const n = rollup.byTask.get(t.id);
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
  const counts: LightCounts = { green: 0, yellow: 0, red: 0, no_data: 0 };
  for (const r of indicators) counts[r.status] += 1;

  const late = cycle ? lateAfter(cycle.due_date, cycle.grace_days) : null;
  const assignments: AssignmentState[] = [];
  if (cycle && late) {
    const reportOf = new Map(reports.map((r) => [`${r.unit_id}|${r.task_id}`, r]));
    for (const a of content.assignments) {
      const t = taskById.get(a.task_id);
      if (!t) continue;
      const r = reportOf.get(`${a.unit_id}|${a.task_id}`);
      const first = r?.first_submitted_at ?? null;
      assignments.push({
        unitId: a.unit_id,
        unitName: a.unit_short_name,
        taskId: t.id,
        taskPath: t.path,
        taskTitle: t.title,
        reportId: r?.id ?? null,
        state: r?.state ?? null,
        firstSubmittedAt: first,
        timeliness: timelinessOf(first, late, day),
      });
    }
  }
  const byUnit = new Map<string, UnitTimeliness>();
  const total: TimelinessTotal = {
    expected: 0,
    onTime: 0,
    late: 0,
    missing: 0,
    pending: 0,
    onTimeRate: null,
  };
  for (const a of assignments) {
    const u = byUnit.get(a.unitId) ?? {
      unitId: a.unitId,
      unitName: a.unitName,
      expected: 0,
      onTime: 0,
      late: 0,
      missing: 0,
      pending: 0,
      onTimeRate: null,
    };
    const k = a.timeliness === 'on_time' ? 'onTime' : a.timeliness;
    u.expected += 1;
    u[k] += 1;
    total.expected += 1;
    total[k] += 1;
    byUnit.set(a.unitId, u);
  }
  total.onTimeRate = rate(total.onTime, total.expected - total.pending);
  const units = [...byUnit.values()]
    .map((u) => ({ ...u, onTimeRate: rate(u.onTime, u.expected - u.pending) }))
    .sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN'));

  return {
    plan: { id: plan.id, title: plan.title, jurisdictionId: plan.jurisdiction_id },
    versionId: head.id,
    cycle: cycle && late ? { ...cycle, lateAfter: late } : null,
    asOf,
    today: day,
    period: { start, end, afterEnd: end !== null && asOf > end },
    tasks,
    content,
    counties,
    indicators,
    rollup,
    taskNodes,
    counts,
    timeliness: { assignments, units, total },
  };
}

/** One indicator's row: the engine's result with the observations behind it (those counted marked). */
function statusRow(
  i: IndicatorsTable,
  task: PlanTasksTable | undefined,
  r: EvaluationResult,
  obs: {
    value: number;
    period: string | number;
    county?: string;
    source: { kind: string; ref: string; label: string };
  }[],
  asOf: string,
  counties: CountyIndex,
): IndicatorStatusRow {
  const key = (o: { source: { ref: string }; county?: string | undefined; period: string | number }) =>
    `${o.source.ref}|${o.county ?? ''}|${o.period}`;
  const counted = new Set<string>();
  if (r.observation) counted.add(key(r.observation));
  for (const c of r.counties) if (c.observation) counted.add(key(c.observation));
  const sources: ObservationRef[] = obs
    .filter((o) => String(o.period) <= asOf)
    .map((o) => ({
      sourceKind: o.source.kind as ObservationRef['sourceKind'],
      ref: o.source.ref,
      label: o.source.label,
      value: o.value,
      period: o.period,
      countyId: o.county ?? null,
      countyName: o.county ? (counties.names[o.county] ?? null) : null,
      isCounted: counted.has(key(o)),
    }))
    .sort((a, b) => String(b.period).localeCompare(String(a.period)));
  return {
    indicatorId: i.id,
    taskId: i.task_id,
    taskPath: task?.path ?? '',
    taskTitle: task?.title ?? '',
    text: i.text,
    kind: i.kind as IndicatorStatusRow['kind'],
    comparator: i.comparator as IndicatorStatusRow['comparator'],
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
      target: c.target,
      progress: c.progress,
      text: c.explanation.text,
    })),
    anomalies: r.anomalies.map((a) => a.message),
    sources,
  };
}

/** The indicator page's view of an evaluation (GET /api/v1/indicator-status). */
export function indicatorStatusOf(e: PlanEvaluation): IndicatorStatus {
  return {
    planId: e.plan.id,
    planTitle: e.plan.title,
    versionId: e.versionId,
    asOf: e.asOf,
    cycleId: e.cycle?.id ?? null,
    indicators: e.indicators,
    tasks: e.taskNodes,
    counts: e.counts,
    overall: {
      progress: e.rollup.root.progress,
      counted: e.rollup.counted,
      withoutData: e.rollup.withoutData,
      explanation: e.rollup.root.explanation.text,
    },
  };
}

/**
 * A fingerprint of every input of an evaluation: made from the tables each registered observation source declares
 * it reads, so a new source cannot be forgotten by a cache built on it.
 */
export function evaluationInputsFingerprint(db: Kysely<Database>): Promise<string> {
  return evaluationFingerprint(db, observationReads());
}

/** The end of the plan period of each version (plan-dates.ts), by version id. */
export async function planEnds(db: Kysely<Database>, versionIds: string[]): Promise<Map<string, string>> {
  const rows = await planEndRows(db, [...new Set(versionIds)]);
  return new Map(rows.map((r) => [r.version_id, r.plan_end]));
}

/** The first day of the plan period a cycle belongs to (plan-dates.ts planStart). */
export async function planStartOfCycle(
  db: Kysely<Database>,
  cycle: { plan_id: string; version_id: string; period_start: string },
): Promise<string> {
  const head = await findVersionHead(db, cycle.version_id);
  const first = head?.doc_date ? undefined : (await planCycleRows(db, cycle.plan_id))[0];
  return planStart(head?.doc_date, first?.period_start, cycle.period_start);
}
