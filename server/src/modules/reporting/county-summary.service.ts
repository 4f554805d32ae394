import type { ReportCountySummary } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { jurisdictionOfGovernmentUnit } from '../jurisdictions/jurisdictions.service';
import {
  planRowsOfJurisdiction,
  taskLinkRows,
  taskRowsOfVersion,
  versionHeads,
} from '../plans/plan-reads.service';
import { evaluatePlan } from '../progress/progress.service';
import { requireCycle } from './cycles.service';
import { requireReadableReport } from './reports.service';

const pct = (v: number | null) => (v === null ? '无数据' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null, unit: string) =>
  v === null ? '无数据' : `${Math.round(v * 100) / 100}${unit}`;

/**
 * 上报县区汇总: when the report's unit is a county's government unit, the county's own tasks linked to the report's
 * task (confirmed by the county, or assigned down), judged on the county's plan as of the cycle's end, with a
 * sentence for the narrative. The county's figures stay the county's: nothing here writes the report.
 */
export async function getReportCountySummary(
  db: Kysely<Database>,
  ctx: Ctx,
  reportId: string,
): Promise<ReportCountySummary> {
  const row = await requireReadableReport(db, ctx, reportId);
  const cycle = await requireCycle(db, row.cycle_id);
  const asOf = cycle.period_end;
  const place = await jurisdictionOfGovernmentUnit(db, row.unit_id);
  const none = { jurisdictionName: null, planId: null, planTitle: null, asOf, tasks: [] };
  if (!place) return { applies: false, ...none, text: '' };
  const [plan] = await planRowsOfJurisdiction(db, place.id);
  if (!plan) {
    return {
      applies: true,
      ...none,
      jurisdictionName: place.name,
      text: `${place.name}尚未导入本地实施方案，暂无县区汇总。`,
    };
  }
  const [head] = await versionHeads(db, [plan.id]);
  const tasks = head ? await taskRowsOfVersion(db, head.id) : [];
  const links = await taskLinkRows(
    db,
    tasks.map((t) => t.id),
  );
  const linked = new Set(
    links.filter((l) => l.state === 'confirmed' && l.target_task_id === row.task_id).map((l) => l.task_id),
  );
  const mine = tasks.filter((t) => linked.has(t.id));
  const base = { applies: true, jurisdictionName: place.name, planId: plan.id, planTitle: plan.title, asOf };
  if (mine.length === 0) {
    return {
      ...base,
      tasks: [],
      text: `${place.name}实施方案中尚无对接本任务的县级任务（可在县区“对接上级任务”中确认）。`,
    };
  }
  const e = await evaluatePlan(db, { planId: plan.id, asOf, publishedSurveysOnly: true });
  const out = mine.map((t) => {
    const node = e.rollup.byTask.get(t.id);
    return {
      taskId: t.id,
      path: t.path,
      title: t.title,
      progress: node?.progress ?? null,
      status: node?.status ?? 'no_data',
      indicators: e.indicators
        .filter((i) => i.taskId === t.id)
        .map((i) => ({ text: i.text, actual: i.actual, target: i.target, unit: i.unit, status: i.status })),
    };
  });
  const withData = out.filter((t) => t.progress !== null);
  const mean = withData.length > 0 ? withData.reduce((s, t) => s + t.progress!, 0) / withData.length : null;
  const lines = out.map(
    (t) =>
      `${t.path} ${t.title}：完成度${pct(t.progress)}${t.indicators
        .map((i) => `，${i.text.slice(0, 24)}${i.text.length > 24 ? '…' : ''} ${num(i.actual, i.unit)}`)
        .join('')}`,
  );
  return {
    ...base,
    tasks: out,
    text: `${place.name}对接本任务的县级任务 ${out.length} 项，截至 ${asOf} 平均完成度${pct(mean)}（${withData.length} 项有数据）。${lines.join('；')}。`,
  };
}
