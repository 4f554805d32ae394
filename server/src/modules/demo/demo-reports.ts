import type {
  ProgressReportsTable,
  ReportEventsTable,
  ReportingCyclesTable,
  ReportValuesTable,
} from '../../db/schema';
import { newId } from '../../ids';
import type { demoPlanContent } from './demo.repository';

/**
 * The demo's reports on one plan: for every cycle and every assignment (unit × task) of its version, a report whose
 * workflow state depends on the cycle's age (older ones settled, the latest still in flight) and whose values follow
 * each indicator's own target (cumulative: target × elapsed share, never falling; annual: target × share of the year,
 * reset each January). A fifth of the units lag, with the explanation the real workflow demands; a few reports are
 * returned, submitted late or missing. Pure: every draw comes from `rnd`, in a fixed order.
 */

const DAY = 86_400_000;
const toDate = (s: string) => Date.parse(`${s}T00:00:00Z`);
export const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (s: string, n: number) => ymd(toDate(s) + n * DAY);
/** A timestamp on day `s` at a working hour. */
export const at = (s: string, hour: number) =>
  `${s}T${String(hour).padStart(2, '0')}:${String((hour * 7) % 60).padStart(2, '0')}:00.000Z`;

export const DEMO_ACTOR = '演示数据';

const NARRATIVES = [
  '按计划推进，本季度组织专题活动并完成阶段性任务。',
  '已制定年度工作方案，各项工作有序开展。',
  '联合相关单位开展科普进社区、进校园活动，覆盖面持续扩大。',
  '完成季度统计汇总，相关佐证材料已归档。',
  '结合全国科普日、科技活动周等节点集中开展活动。',
];
const BEHIND_NOTES = [
  '受场地改造影响，部分活动延后至下季度集中开展。',
  '项目审批周期较长，已协调相关部门加快推进。',
  '经费下达较晚，下一季度将加大推进力度。',
];
const RETURN_COMMENTS = ['请补充活动名单和佐证材料。', '数据与上季度口径不一致，请核实后重新提交。'];

const isCountLike = (unit: string) => unit !== '%' && unit !== '‰';

export interface DemoReportsInput {
  cycles: ReportingCyclesTable[];
  content: Awaited<ReturnType<typeof demoPlanContent>>;
  /** The counties a per-county indicator is reported for (a county plan: the county itself). */
  counties: { id: string }[];
  /** The start of the plan period (序时进度 runs from here). */
  startDate: string;
  rnd: () => number;
  batchId: string;
}

export interface DemoReports {
  reports: ProgressReportsTable[];
  values: ReportValuesTable[];
  events: ReportEventsTable[];
}

/** Reports, values and workflow events for every cycle of a plan (see the file's comment). */
export function makeDemoReports(input: DemoReportsInput): DemoReports {
  const { cycles, counties, startDate, rnd, batchId } = input;
  const { tasks, assignments, indicators, breakdowns } = input.content;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  // Who lags: a fifth of the units, drawn once.
  const unitIds = [...new Set(assignments.map((a) => a.unit_id))].sort();
  const lagging = new Map(unitIds.map((u) => [u, rnd() < 0.2]));
  // The reporting unit of each task's values: its lead (else the first listed).
  const valueUnit = new Map<string, string>();
  for (const a of assignments) {
    if (a.role === 'lead' && !valueUnit.has(a.task_id)) valueUnit.set(a.task_id, a.unit_id);
  }
  for (const a of assignments) if (!valueUnit.has(a.task_id)) valueUnit.set(a.task_id, a.unit_id);

  const reports: ProgressReportsTable[] = [];
  const values: ReportValuesTable[] = [];
  const events: ReportEventsTable[] = [];
  /** Last cumulative value per indicator|county, so a series never falls. */
  const lastValue = new Map<string, number>();
  const expectedShare = (deadline: string | null, end: string) => {
    const s = toDate(startDate);
    const d = toDate(deadline ?? addDays(startDate, 365 * 4));
    return Math.max(0, Math.min(1, (toDate(end) - s) / Math.max(DAY, d - s)));
  };

  cycles.forEach((cycle, k) => {
    const recent = cycles.length - 1 - k; // 0 = latest cycle
    const cycleTasks = new Set(tasks.filter((t) => t.version_id === cycle.version_id).map((t) => t.id));
    for (const a of assignments) {
      if (!cycleTasks.has(a.task_id)) continue;
      const lag = lagging.get(a.unit_id) === true;
      const r = rnd();
      // Workflow state by age of the cycle: older ones are settled, the latest still in flight.
      let state: 'approved' | 'submitted' | 'returned' | 'draft' | null;
      if (recent === 0) {
        state =
          r < 0.12 ? null : r < 0.2 ? 'draft' : r < 0.28 ? 'returned' : r < 0.48 ? 'submitted' : 'approved';
      } else if (recent === 1) {
        state = r < 0.05 ? null : r < 0.1 ? 'returned' : r < 0.15 ? 'submitted' : 'approved';
      } else {
        state = r < (lag ? 0.08 : 0.03) ? null : 'approved';
      }
      if (state === null) continue;
      const id = newId();
      const late = lag ? rnd() < 0.5 : rnd() < 0.08;
      const submittedDay = addDays(
        cycle.due_date,
        late ? 3 + Math.floor(rnd() * 20) : -Math.floor(rnd() * 12),
      );
      const reviewedDay = addDays(submittedDay, 2 + Math.floor(rnd() * 6));
      const isSubmitted = state === 'submitted' || state === 'approved' || state === 'returned';
      const isReviewed = state === 'approved' || state === 'returned';
      let behindAny = false;

      if (valueUnit.get(a.task_id) === a.unit_id) {
        const ownCounties = counties.filter((c) => c.id === a.unit_id);
        for (const ind of indicators.filter((i) => i.task_id === a.task_id)) {
          const scopes: (string | null)[] =
            ind.breakdown_by_county === 1
              ? (ownCounties.length > 0 ? ownCounties : counties).map((c) => c.id)
              : [null];
          const target = Number(ind.target_value);
          for (const county of scopes) {
            const countyTarget =
              county === null
                ? target
                : Number(
                    breakdowns.find((b) => b.indicator_id === ind.id && b.unit_id === county)?.target_value ??
                      target / Math.max(1, counties.length),
                  );
            const factor = lag ? 0.6 + rnd() * 0.25 : 0.97 + rnd() * 0.18;
            let v: number;
            if (ind.kind === 'annual') {
              const q = (new Date(`${cycle.period_end}T00:00:00Z`).getUTCMonth() + 1) / 12;
              v = countyTarget * q * factor;
            } else {
              const key = `${ind.id}|${county ?? ''}`;
              const base = ind.baseline_value === null ? 0 : Number(ind.baseline_value);
              v = base + (countyTarget - base) * expectedShare(ind.deadline, cycle.period_end) * factor;
              v = Math.max(v, lastValue.get(key) ?? 0);
              lastValue.set(key, v);
            }
            v = isCountLike(ind.unit) ? Math.round(v) : Math.round(v * 10) / 10;
            const behind = factor < 0.95;
            behindAny ||= behind;
            values.push({
              id: newId(),
              report_id: id,
              indicator_id: ind.id,
              county_id: county,
              value: String(v),
              note: behind ? pick(BEHIND_NOTES) : '',
              is_prefilled: 0,
              demo_batch_id: batchId,
            });
          }
        }
      }
      const created = addDays(cycle.period_end, 1 + Math.floor(rnd() * 5));
      reports.push({
        id,
        cycle_id: cycle.id,
        unit_id: a.unit_id,
        task_id: a.task_id,
        state,
        progress: behindAny ? 'behind' : recent > 4 && rnd() < 0.2 ? 'completed' : 'in_progress',
        narrative: pick(NARRATIVES),
        prefilled_from_id: null,
        review_comment: state === 'returned' ? pick(RETURN_COMMENTS) : '',
        submitted_at: isSubmitted ? at(submittedDay, 10) : null,
        submitted_by: null,
        reviewed_at: isReviewed ? at(reviewedDay, 15) : null,
        reviewed_by: null,
        created_by: null,
        version: 1 + (isSubmitted ? 1 : 0) + (isReviewed ? 1 : 0),
        created_at: at(created, 9),
        updated_at: at(isReviewed ? reviewedDay : isSubmitted ? submittedDay : created, 16),
        demo_batch_id: batchId,
      });
      const ev = (action: string, day: string, hour: number, comment = '') =>
        events.push({
          id: newId(),
          report_id: id,
          action,
          comment,
          actor_id: null,
          actor_name: DEMO_ACTOR,
          at: at(day, hour),
          demo_batch_id: batchId,
        });
      ev('create', created, 9);
      if (isSubmitted) ev('submit', submittedDay, 10);
      if (state === 'returned') ev('return', reviewedDay, 15, reports[reports.length - 1]!.review_comment);
      if (state === 'approved') ev('approve', reviewedDay, 15);
    }
  });
  return { reports, values, events };
}
