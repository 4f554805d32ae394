import { authorize, type SignedInCtx } from '../../authorize';
import { rollUp } from '@kesu/indicators';
import {
  type ChildComparison,
  type ChildJurisdictionRow,
  type Drill,
  type DrillQuery,
  type DrillReport,
  type GroupProgress,
  type IndicatorStatus,
  type IndicatorStatusRow,
  LIGHT_LABELS,
  type LightCounts,
  type Overview,
  type OverviewQuery,
  POPULATION_GROUP_LABELS,
  POPULATION_GROUPS,
  type PopulationGroup,
  type PopulationProgress,
  type PublicSnapshot,
  type PublicSnapshotSummary,
  type SnapshotSummary,
  TIMELINESS_LABELS,
  type Timeliness,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type Ctx, isAtRoot, readsJurisdiction, worksIn } from '../../context';
import type { Database, PlanTasksTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { childJurisdictions, rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import { findPlanRow, planJurisdictionPath } from '../plans/plan-reads.service';
import { today } from '../progress/plan-dates';
import {
  type AssignmentState,
  type PlanEvaluation,
  evaluatePlan,
  evaluationInputsFingerprint,
  indicatorStatusOf,
} from '../progress/progress.service';
import { findCycleRow } from '../reporting/reporting-reads.service';
import { canReadSurveys } from '../surveys/surveys.policy';
import {
  canPublishSnapshots,
  canReadOverview,
  canReadSnapshotHistory,
  canSeeDrillReport,
  readsAllSnapshots,
} from './dashboards.policy';
import {
  findPlacedSnapshotHead,
  findSnapshotRow,
  insertSnapshotRow,
  type PlacedSnapshotHead,
  latestCycleId,
  planIdsOfJurisdiction,
  publishedSnapshotHeads,
  reportRowsByIds,
  type SnapshotHead,
  snapshotHeads,
  unpublishSnapshotRow,
  cycleHasDemoData,
} from './dashboards.repository';
import { CoalescingCache } from './overview.cache';

/** The overview with what its drill-downs need: indicator rows with their sources, and every assignment. */
interface OverviewModel {
  overview: Overview;
  /** The overview as UTF-8 JSON, serialized and encoded once per computation (the hot read sends these bytes). */
  json: Buffer;
  status: IndicatorStatus;
  /** Indicator ids under each task (its whole subtree). */
  indicatorsUnder: Map<string, string[]>;
  /** Top tasks of each key population. */
  populationTops: Map<PopulationGroup, string[]>;
  assignments: AssignmentState[];
  cycleName: string | null;
}

const ZERO: LightCounts = { green: 0, yellow: 0, red: 0, no_data: 0 };

/**
 * The evaluated overview, shared by every role and request while nothing it reads has changed (the fingerprint
 * covers the plan, cycles, units, population figures and every table an observation source declares it reads:
 * reports, survey waves and their estimates); see overview.cache.ts.
 */
const cache = new CoalescingCache<OverviewModel>(evaluationInputsFingerprint);

function requireReader(ctx: Ctx): asserts ctx is SignedInCtx {
  authorize(ctx, canReadOverview);
}

/**
 * Which plan and cycle the query means: the cycle named, else the latest started cycle of the plan named, else of
 * the plans of the reader's own jurisdiction. A plan outside the reader's jurisdiction subtree is not found.
 */
async function resolve(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  q: OverviewQuery,
  day: string,
): Promise<{ planId: string; cycleId: string | null }> {
  const readable = async (planId: string) => {
    if (isAtRoot(ctx.user)) return;
    if (!readsJurisdiction(ctx.user, await planJurisdictionPath(db, planId))) {
      throw new AppError('NOT_FOUND', '规划不存在');
    }
  };
  if (q.cycleId) {
    const cycle = await findCycleRow(db, q.cycleId);
    if (!cycle) throw new AppError('NOT_FOUND', '填报周期不存在');
    if (q.planId && q.planId !== cycle.plan_id) throw new AppError('NOT_FOUND', '该规划没有这个填报周期');
    await readable(cycle.plan_id);
    return { planId: cycle.plan_id, cycleId: cycle.id };
  }
  if (q.planId) await readable(q.planId);
  const own = ctx.user.jurisdictionId ?? (await rootJurisdictionId(db));
  const planIds = q.planId ? [q.planId] : await planIdsOfJurisdiction(db, own, isAtRoot(ctx.user));
  const cycleId = await latestCycleId(db, planIds, day);
  if (cycleId) {
    const cycle = await findCycleRow(db, cycleId);
    return { planId: cycle!.plan_id, cycleId };
  }
  if (q.planId) return { planId: q.planId, cycleId: null };
  throw new AppError('NOT_FOUND', '还没有填报周期，暂无可展示的数据');
}

/**
 * The groups of part 三 (重点任务): the children of the top-level heading under which the key-population 行动 sit;
 * a plan without them is grouped by its top-level headings.
 */
function taskGroups(tasks: PlanTasksTable[]): PlanTasksTable[] {
  const childrenOf = new Map<string | null, PlanTasksTable[]>();
  for (const t of tasks) childrenOf.set(t.parent_id, [...(childrenOf.get(t.parent_id) ?? []), t]);
  const tops = childrenOf.get(null) ?? [];
  let best: PlanTasksTable | null = null;
  let bestScore = 0;
  for (const t of tops) {
    const score = (childrenOf.get(t.id) ?? []).filter((c) => c.population_group !== null).length;
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return best ? (childrenOf.get(best.id) ?? []) : tops;
}

const RANKING_METHOD =
  '排名按各地本级规划的总体完成度（各项指标完成度按统一公式汇总）从高到低；完成度相同时按最近一期按时报送率；尚无规划或尚无数据的不参与排名。完成度、报送率、亮灯均以各地自己的规划和填报周期计算，截至日期与本看板相同。';

/**
 * The levels below the plan's jurisdiction, each judged on its own newest plan and latest started cycle, as of the
 * same date; coverage and literacy come from the upper plan's own indicators where they break down by county.
 */
async function childComparison(
  db: Kysely<Database>,
  e: PlanEvaluation,
  status: IndicatorStatus,
  publishedSurveysOnly: boolean,
  now: Date,
): Promise<ChildComparison> {
  const children = e.plan.jurisdictionId ? await childJurisdictions(db, e.plan.jurisdictionId) : [];
  const coverageRow = status.indicators.find((r) => r.kind === 'population_share' && r.counties.length > 0);
  const literacyRow = status.indicators.find((r) => r.kind === 'survey_rate' && r.counties.length > 0);
  const cellOf = (row: IndicatorStatusRow | undefined, unitId: string | null) =>
    row && unitId ? (row.counties.find((c) => c.countyId === unitId)?.actual ?? null) : null;
  const rows: ChildJurisdictionRow[] = [];
  for (const j of children) {
    const planIds = await planIdsOfJurisdiction(db, j.id, false);
    const cycleId = await latestCycleId(db, planIds, today(now));
    const planId = cycleId ? (await findCycleRow(db, cycleId))!.plan_id : planIds[0];
    const base = {
      jurisdictionId: j.id,
      name: j.name,
      level: j.level,
      governmentUnitId: j.government_unit_id,
      coverage: cellOf(coverageRow, j.government_unit_id),
      literacy: cellOf(literacyRow, j.government_unit_id),
      rank: null,
    };
    if (!planId) {
      rows.push({
        ...base,
        status: 'no_data',
        planId: null,
        planTitle: null,
        cycleId: null,
        cycleName: null,
        progress: null,
        onTimeRate: null,
        reportsExpected: 0,
        counts: { ...ZERO },
        indicatorTotal: 0,
      });
      continue;
    }
    const c = await evaluatePlan(
      db,
      { planId, cycleId: cycleId ?? undefined, asOf: e.asOf, publishedSurveysOnly },
      now,
    );
    rows.push({
      ...base,
      status: c.rollup.root.status ?? 'no_data',
      planId,
      planTitle: c.plan.title,
      cycleId: c.cycle?.id ?? null,
      cycleName: c.cycle?.name ?? null,
      progress: c.rollup.root.progress,
      onTimeRate: c.timeliness.total.onTimeRate,
      reportsExpected: c.timeliness.total.expected,
      counts: c.counts,
      indicatorTotal: c.indicators.length,
    });
  }
  const ranked = rows
    .filter((r) => r.progress !== null)
    .sort((a, b) => b.progress! - a.progress! || (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1));
  ranked.forEach((r, i) => {
    const prev = ranked[i - 1];
    r.rank = prev && prev.progress === r.progress && prev.onTimeRate === r.onTimeRate ? prev.rank : i + 1;
  });
  return {
    rows,
    method: RANKING_METHOD,
    coverageIndicator: coverageRow ? `${coverageRow.taskPath} ${coverageRow.text}` : null,
    literacyIndicator: literacyRow ? `${literacyRow.taskPath} ${literacyRow.text}` : null,
  };
}

function countLights(rows: IndicatorStatusRow[]): LightCounts {
  const c = { ...ZERO };
  for (const r of rows) c[r.status] += 1;
  return c;
}

async function computeModel(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  q: OverviewQuery,
  now: Date,
): Promise<OverviewModel> {
  const day = today(now);
  const { planId, cycleId } = await resolve(db, ctx, q, day);
  // THE evaluation of the plan (progress module); unpublished survey waves only for those who may read surveys.
  const e = await evaluatePlan(
    db,
    { planId, cycleId: cycleId ?? undefined, asOf: q.asOf, publishedSurveysOnly: !canReadSurveys(ctx.user) },
    now,
  );
  const status = indicatorStatusOf(e);
  const { tasks, counties, cycle } = e;

  const taskById = new Map(tasks.map((t) => [t.id, t]));
  const node = new Map(status.tasks.map((n) => [n.taskId, n]));
  const rowById = new Map(status.indicators.map((r) => [r.indicatorId, r]));
  const indicatorsUnder = new Map<string, string[]>();
  for (const r of status.indicators) {
    for (let t = taskById.get(r.taskId); t; t = t.parent_id ? taskById.get(t.parent_id) : undefined) {
      indicatorsUnder.set(t.id, [...(indicatorsUnder.get(t.id) ?? []), r.indicatorId]);
    }
  }
  const rowsUnder = (taskIds: string[]) =>
    taskIds.flatMap((id) => indicatorsUnder.get(id) ?? []).map((id) => rowById.get(id)!);

  const groups: GroupProgress[] = taskGroups(tasks).map((t) => {
    const rows = rowsUnder([t.id]);
    return {
      taskId: t.id,
      path: t.path,
      title: t.title,
      populationGroup: (t.population_group as PopulationGroup | null) ?? null,
      progress: node.get(t.id)?.progress ?? null,
      counts: countLights(rows),
      indicatorCount: rows.length,
      explanation: node.get(t.id)?.explanation ?? '无数据',
    };
  });

  // A key population: its top-most tasks (a 行动 heading; sub-tasks inherit the group), rolled up by the engine.
  const populationTops = new Map<PopulationGroup, string[]>();
  const populations: PopulationProgress[] = POPULATION_GROUPS.map((g) => {
    const tops = tasks.filter((t) => {
      if (t.population_group !== g) return false;
      const parent = t.parent_id ? taskById.get(t.parent_id) : undefined;
      return parent?.population_group !== g;
    });
    populationTops.set(
      g,
      tops.map((t) => t.id),
    );
    const rows = rowsUnder(tops.map((t) => t.id));
    let progress: number | null = null;
    let explanation = '规划中没有该重点人群的任务';
    if (tops.length === 1) {
      progress = node.get(tops[0]!.id)?.progress ?? null;
      explanation = node.get(tops[0]!.id)?.explanation ?? '无数据';
    } else if (tops.length > 1) {
      const r = rollUp(
        {
          id: g,
          // Each top weighs the indicators with data beneath it: the mean over the population's indicators.
          children: tops.map((t) => ({
            id: t.id,
            progress: node.get(t.id)?.progress ?? null,
            weight: rowsUnder([t.id]).filter((r) => r.status !== 'no_data').length,
          })),
        },
        [],
      );
      progress = r.progress;
      explanation = r.explanation.text;
    }
    return {
      group: g,
      label: POPULATION_GROUP_LABELS[g],
      taskIds: tops.map((t) => t.id),
      progress,
      counts: countLights(rows),
      indicatorCount: rows.length,
      explanation,
    };
  });

  // Reporting on time: every assignment of the cycle's version against the cycle's late date (the evaluation's).
  const { assignments, units, total } = e.timeliness;

  // County comparison: indicators evaluated per county (population shares, county-broken-down values).
  const countyRows = status.indicators.filter((r) => r.counties.length > 0);
  const countyCounts = new Map(counties.ids.map((id) => [id, { ...ZERO }]));
  const countyIndicators = countyRows.map((r) => {
    const byCounty = new Map(r.counties.map((c) => [c.countyId, c]));
    return {
      indicatorId: r.indicatorId,
      taskPath: r.taskPath,
      text: r.text,
      kind: r.kind,
      unit: r.unit,
      target: r.target,
      cells: counties.ids.map((id) => {
        const c = byCounty.get(id);
        const status = c?.status ?? 'no_data';
        const counts = countyCounts.get(id);
        if (counts) counts[status] += 1;
        return { countyId: id, actual: c?.actual ?? null, status };
      }),
    };
  });

  const overview: Overview = {
    planId: status.planId,
    jurisdictionId: e.plan.jurisdictionId,
    planTitle: status.planTitle,
    versionId: status.versionId,
    cycle: cycle
      ? {
          id: cycle.id,
          name: cycle.name,
          periodStart: cycle.period_start,
          periodEnd: cycle.period_end,
          dueDate: cycle.due_date,
          lateAfter: cycle.lateAfter,
          state: cycle.state,
        }
      : null,
    asOf: status.asOf,
    today: day,
    generatedAt: now.toISOString(),
    summary: {
      overallProgress: status.overall.progress,
      overallCounted: status.overall.counted,
      overallWithoutData: status.overall.withoutData,
      indicatorTotal: status.indicators.length,
      counts: status.counts,
      reportsExpected: total.expected,
      onTime: total.onTime,
      late: total.late,
      missing: total.missing,
      pending: total.pending,
      onTimeRate: total.onTimeRate,
      redIndicators: status.indicators
        .filter((r) => r.status === 'red')
        .slice(0, 5)
        .map((r) => ({ indicatorId: r.indicatorId, taskPath: r.taskPath, text: r.text })),
      laggingUnits: units
        .filter((u) => u.missing + u.late > 0)
        .sort((a, b) => b.missing + b.late - (a.missing + a.late) || b.missing - a.missing)
        .slice(0, 5)
        .map((u) => ({ unitId: u.unitId, unitName: u.unitName, missing: u.missing, late: u.late })),
    },
    groups,
    populations,
    counts: status.counts,
    units,
    counties: {
      counties: counties.ids.map((id) => ({
        id,
        name: counties.names[id] ?? id,
        counts: countyCounts.get(id) ?? { ...ZERO },
      })),
      indicators: countyIndicators,
    },
    children: await childComparison(db, e, status, !canReadSurveys(ctx.user), now),
  };
  return {
    overview,
    json: Buffer.from(JSON.stringify(overview)),
    status,
    indicatorsUnder,
    populationTops,
    assignments,
    cycleName: cycle?.name ?? null,
  };
}

async function model(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  q: OverviewQuery,
  now: Date,
): Promise<OverviewModel> {
  // The root's staff read every plan; anyone else asking for a plan or cycle is checked on every request (the cache
  // is shared), and a plan outside the reader's subtree is not found. Without one named, the reader's own level's
  // plan is shown, which it always reads (its jurisdiction is in the key).
  if (!isAtRoot(ctx.user) && (q.planId || q.cycleId)) await resolve(db, ctx, q, today(now));
  // Unpublished survey waves count only for those who may read surveys: the two audiences never share an entry.
  // Without a plan or cycle named, the plan shown is the reader's own jurisdiction's: the jurisdiction is in the key.
  const audience = canReadSurveys(ctx.user) ? 'surveys' : 'published';
  const key = JSON.stringify([
    q.planId ?? '',
    q.cycleId ?? '',
    q.asOf ?? '',
    today(now),
    audience,
    ctx.user.jurisdictionId ?? '',
  ]);
  return cache.get(db, key, () => computeModel(db, ctx, q, now));
}

/**
 * The city overview of a cycle: progress by task group and key population, indicator lights, reporting on time by
 * unit, the county comparison. Approved values only, so every signed-in role reads the same numbers.
 */
export async function getOverview(
  db: Kysely<Database>,
  ctx: Ctx,
  q: OverviewQuery,
  now: Date = new Date(),
): Promise<Overview> {
  requireReader(ctx);
  return (await model(db, ctx, q, now)).overview;
}

/**
 * The same overview as its JSON text, serialized once per computation: the hot path of the dashboards (measured in
 * bench/overview.bench.ts: re-serializing 24 KB on every request was most of the cost of a cached answer).
 */
export async function getOverviewJson(
  db: Kysely<Database>,
  ctx: Ctx,
  q: OverviewQuery,
  now: Date = new Date(),
): Promise<Buffer> {
  requireReader(ctx);
  return (await model(db, ctx, q, now)).json;
}

/**
 * The overview with every indicator row and assignment behind it, from the same computation (documents: the 进展通报,
 * the annual report and a unit's summary print these figures, so they are the dashboard's own).
 */
export async function getOverviewDetail(
  db: Kysely<Database>,
  ctx: Ctx,
  q: OverviewQuery,
  now: Date = new Date(),
): Promise<{ overview: Overview; indicators: IndicatorStatusRow[]; assignments: AssignmentState[] }> {
  requireReader(ctx);
  const m = await model(db, ctx, q, now);
  return { overview: m.overview, indicators: m.status.indicators, assignments: m.assignments };
}

/** The indicators and reports behind one number of the overview (a reporter sees only its own unit's reports). */
export async function getDrill(
  db: Kysely<Database>,
  ctx: Ctx,
  q: DrillQuery,
  now: Date = new Date(),
): Promise<Drill> {
  requireReader(ctx);
  const m = await model(db, ctx, q, now);
  const rows = m.status.indicators;
  const rowById = new Map(rows.map((r) => [r.indicatorId, r]));
  let title: string;
  let indicators: IndicatorStatusRow[] = [];
  let countyId: string | null = null;
  let assignments: AssignmentState[] | null = null;

  switch (q.kind) {
    case 'overall':
      title = '全部指标';
      indicators = rows;
      break;
    case 'group': {
      const g = m.overview.groups.find((x) => x.taskId === q.key);
      if (!g) throw new AppError('NOT_FOUND', '没有这个任务分组');
      title = `${g.title}`;
      indicators = (m.indicatorsUnder.get(g.taskId) ?? []).map((id) => rowById.get(id)!);
      break;
    }
    case 'population': {
      const tops = m.populationTops.get(q.key as PopulationGroup);
      if (!tops) throw new AppError('NOT_FOUND', '没有这个重点人群');
      title = `${POPULATION_GROUP_LABELS[q.key as PopulationGroup]}科学素质提升行动`;
      indicators = tops.flatMap((t) => m.indicatorsUnder.get(t) ?? []).map((id) => rowById.get(id)!);
      break;
    }
    case 'status': {
      if (!(q.key in LIGHT_LABELS)) throw new AppError('NOT_FOUND', '没有这种指标状态');
      title = `指标状态：${LIGHT_LABELS[q.key as keyof typeof LIGHT_LABELS]}`;
      indicators = rows.filter((r) => r.status === q.key);
      break;
    }
    case 'indicator': {
      const r = rowById.get(q.key);
      if (!r) throw new AppError('NOT_FOUND', '没有这个指标');
      title = r.text;
      indicators = [r];
      break;
    }
    case 'county': {
      const r = rowById.get(q.key);
      const county = m.overview.counties.counties.find((c) => c.id === q.part);
      if (!r || !county) throw new AppError('NOT_FOUND', '没有这个指标或县（市、区）');
      title = `${county.name} · ${r.text}`;
      indicators = [r];
      countyId = county.id;
      break;
    }
    case 'unit': {
      const u = m.overview.units.find((x) => x.unitId === q.key);
      if (!u) throw new AppError('NOT_FOUND', '该单位在本周期没有填报任务');
      const part = q.part && q.part !== 'all' ? (q.part as Timeliness) : null;
      if (part && !(part in TIMELINESS_LABELS)) throw new AppError('NOT_FOUND', '没有这种报送情况');
      title = `${u.unitName} · ${part ? TIMELINESS_LABELS[part] : '全部填报事项'}`;
      assignments = m.assignments.filter((a) => a.unitId === u.unitId && (!part || a.timeliness === part));
      break;
    }
  }

  let reports: DrillReport[];
  let description: string;
  if (assignments) {
    reports = assignments.map((a) => ({
      unitId: a.unitId,
      unitName: a.unitName,
      taskId: a.taskId,
      taskPath: a.taskPath,
      taskTitle: a.taskTitle,
      cycleId: m.overview.cycle!.id,
      cycleName: m.cycleName ?? '',
      reportId: a.reportId,
      state: a.state as DrillReport['state'],
      firstSubmittedAt: a.firstSubmittedAt,
      timeliness: a.timeliness,
    }));
    description = `${m.cycleName ?? ''}的填报事项（按首次提交时间与截止日期 ${m.overview.cycle?.lateAfter ?? ''} 比较）`;
  } else {
    // The reports whose approved values the shown numbers count (the latest value of each county / of the city).
    const ids = new Set<string>();
    for (const r of indicators) {
      for (const s of r.sources) {
        if ((s.sourceKind !== 'report' && s.sourceKind !== 'county') || !s.isCounted) continue;
        if (countyId !== null && s.countyId !== countyId) continue;
        ids.add(s.ref);
      }
    }
    const found = await reportRowsByIds(db, [...ids]);
    reports = found
      .map((r) => ({
        unitId: r.unit_id,
        unitName: r.unit_name,
        taskId: r.task_id,
        taskPath: r.task_path,
        taskTitle: r.task_title,
        cycleId: r.cycle_id,
        cycleName: r.cycle_name,
        reportId: r.id,
        state: r.state as DrillReport['state'],
        firstSubmittedAt: null,
        timeliness: null,
      }))
      .sort((a, b) => a.taskPath.localeCompare(b.taskPath) || a.unitName.localeCompare(b.unitName, 'zh-CN'));
    description = `${indicators.length} 项指标，截至 ${m.overview.asOf} 计入的已审核报告`;
  }
  const visible = reports.filter((r) => canSeeDrillReport(ctx.user, r.unitId));
  return {
    title,
    description,
    indicators: indicators.map((r) => {
      const c = countyId !== null ? r.counties.find((x) => x.countyId === countyId) : undefined;
      return {
        indicatorId: r.indicatorId,
        taskPath: r.taskPath,
        text: r.text,
        status: countyId !== null ? (c?.status ?? 'no_data') : r.status,
        actual: countyId !== null ? (c?.actual ?? null) : r.actual,
        target: r.target,
        unit: r.unit,
        explanation: countyId !== null ? (c?.text ?? '无数据') : r.explanation,
      };
    }),
    reports: visible,
    hiddenCount: reports.length - visible.length,
  };
}

// ── published snapshots ───────────────────────────────────────────────────────────────────────────────────

function toSnapshotSummary(r: SnapshotHead): SnapshotSummary {
  return {
    id: r.id,
    planId: r.plan_id,
    planTitle: r.plan_title,
    cycleId: r.cycle_id,
    cycleName: r.cycle_name,
    periodEnd: r.period_end,
    isPublished: r.is_published === 1,
    publishedAt: r.published_at,
    publishedBy: r.published_by_name,
    unpublishedAt: r.unpublished_at,
    unpublishedBy: r.unpublished_by_name,
  };
}

function toPublicSummary(r: PlacedSnapshotHead): PublicSnapshotSummary {
  return {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionName: r.jurisdiction_name,
    jurisdictionDepth: r.jurisdiction_path ? r.jurisdiction_path.split('/').filter(Boolean).length - 1 : null,
    planTitle: r.plan_title,
    cycleId: r.cycle_id,
    cycleName: r.cycle_name,
    periodEnd: r.period_end,
    publishedAt: r.published_at,
  };
}

function actorName(ctx: Ctx): string | null {
  return ctx.user ? ctx.user.displayName || ctx.user.username : null;
}

/**
 * Publish a cycle's overview as it is now: an immutable snapshot (the JSON, when, by whom), audited. It replaces the
 * cycle's published snapshot, which is unpublished, not deleted.
 */
export async function publishSnapshot(
  db: Kysely<Database>,
  ctx: Ctx,
  input: { cycleId: string },
  now: Date = new Date(),
): Promise<SnapshotSummary> {
  authorize(ctx, canPublishSnapshots, '只有管理员可以发布看板');
  const overview = await getOverview(db, ctx, { cycleId: input.cycleId }, now);
  const cycle = overview.cycle!;
  await requireOwnLevel(db, ctx, overview.planId, '只能发布本级的看板：下级的看板由下级管理员发布');
  if (await cycleHasDemoData(db, cycle.id)) {
    throw new AppError(
      'INVALID_STATE',
      `「${cycle.name}」含演示数据，不能发布到公众看板。请先删除演示数据（kesu demo remove 或首页的“删除演示数据”），用真实填报发布。`,
    );
  }
  const id = newId();
  const at = nowIso();
  await db.transaction().execute(async (trx) => {
    const previous = (await snapshotHeads(trx, cycle.id)).filter((s) => s.is_published === 1);
    for (const p of previous) {
      await unpublishSnapshotRow(trx, p.id, {
        unpublished_at: at,
        unpublished_by: ctx.user!.id,
        unpublished_by_name: actorName(ctx),
      });
    }
    const row = {
      id,
      plan_id: overview.planId,
      cycle_id: cycle.id,
      plan_title: overview.planTitle,
      cycle_name: cycle.name,
      period_end: cycle.periodEnd,
      payload_json: JSON.stringify(overview),
      is_published: 1,
      published_at: at,
      published_by: ctx.user!.id,
      published_by_name: actorName(ctx),
      unpublished_at: null,
      unpublished_by: null,
      unpublished_by_name: null,
      version: 1,
    };
    await insertSnapshotRow(trx, row);
    await recordAudit(trx, ctx, {
      action: 'dashboard.publish',
      entityType: 'dashboard_snapshot',
      entityId: id,
      before: previous.length > 0 ? { replaced: previous.map((p) => p.id) } : undefined,
      after: {
        cycleId: cycle.id,
        cycleName: cycle.name,
        asOf: overview.asOf,
        counts: overview.counts,
        overallProgress: overview.summary.overallProgress,
      },
    });
  });
  const head = await findSnapshotRow(db, id);
  return toSnapshotSummary(head!);
}

/** Hide a published snapshot from the public; the row stays as history. */
export async function unpublishSnapshot(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
): Promise<SnapshotSummary> {
  authorize(ctx, canPublishSnapshots, '只有管理员可以撤回发布');
  await db.transaction().execute(async (trx) => {
    const row = await findSnapshotRow(trx, id);
    if (!row) throw new AppError('NOT_FOUND', '快照不存在');
    await requireOwnLevel(trx, ctx, row.plan_id, '只能撤回本级的看板');
    const changes = {
      unpublished_at: nowIso(),
      unpublished_by: ctx.user!.id,
      unpublished_by_name: actorName(ctx),
    };
    if (!(await unpublishSnapshotRow(trx, id, changes))) {
      throw new AppError('INVALID_STATE', '该快照未发布或已撤回');
    }
    await recordAudit(trx, ctx, {
      action: 'dashboard.unpublish',
      entityType: 'dashboard_snapshot',
      entityId: id,
      before: { isPublished: true },
      after: { isPublished: false, cycleId: row.cycle_id },
    });
  });
  return toSnapshotSummary((await findSnapshotRow(db, id))!);
}

/** Every snapshot ever published (history, with who published and unpublished). */
export async function listSnapshots(
  db: Kysely<Database>,
  ctx: Ctx,
  q: { cycleId?: string },
): Promise<{ items: SnapshotSummary[] }> {
  authorize(ctx, canReadSnapshotHistory);
  const heads = await snapshotHeads(db, q.cycleId);
  const user = ctx.user;
  // Below the root: the snapshots of the reader's own subtree only.
  const visible = readsAllSnapshots(user)
    ? heads
    : heads.filter((h) => readsJurisdiction(user, h.jurisdiction_path));
  return { items: visible.map(toSnapshotSummary) };
}

/** The public list: published snapshots only, latest period first; of one level when asked. No sign-in. */
export async function listPublicSnapshots(
  db: Kysely<Database>,
  q: { jurisdictionId?: string | undefined } = {},
): Promise<{ items: PublicSnapshotSummary[] }> {
  return { items: (await publishedSnapshotHeads(db, q.jurisdictionId)).map(toPublicSummary) };
}

/** One published snapshot; an unpublished or unknown id is 404 alike, so nothing unpublished is revealed. */
export async function getPublicSnapshot(db: Kysely<Database>, id: string): Promise<PublicSnapshot> {
  const [found, head] = await Promise.all([findSnapshotRow(db, id), findPlacedSnapshotHead(db, id)]);
  const row = found?.is_published === 1 ? found : null;
  if (!row || !head) throw new AppError('NOT_FOUND', '该看板未发布');
  return { ...toPublicSummary(head), overview: JSON.parse(row.payload_json) as Overview };
}

/** Publishing belongs to the level whose plan the dashboard shows. */
async function requireOwnLevel(db: Kysely<Database>, ctx: SignedInCtx, planId: string, message: string) {
  const plan = await findPlanRow(db, planId);
  if (!worksIn(ctx.user, plan?.jurisdiction_id ?? null)) throw new AppError('FORBIDDEN', message);
}
