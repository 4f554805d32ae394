import fs from 'node:fs';
import path from 'node:path';
import type { DemoStatus } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize } from '../../authorize';
import type { Ctx } from '../../context';
import type {
  Database,
  ProgressReportsTable,
  ReportEventsTable,
  ReportingCyclesTable,
  ReportValuesTable,
} from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { versionHeads } from '../plans/plan-reads.service';
import { planStart } from '../progress/plan-dates';
import { countyRows } from '../progress/progress-reads.service';
import { insertPreparedWave, prepareWaveFromRecords } from '../surveys/surveys.service';
import { canReadDemoStatus } from './demo.policy';
import {
  cyclesEndedBefore,
  deleteDemoRows,
  demoAttachmentPaths,
  demoBatchIds,
  demoPlanContent,
  firstDemoBatch,
  insertChunks,
  insertDemoBatch,
  latestDeadline,
  planForDemo,
  setDemoBatchCounts,
} from './demo.repository';
import { DEMO_SURVEY_HEADER, demoSurveyRecords } from './demo-survey';

/**
 * Demo data: two years of plausible quarterly reports for the sample plan, so the dashboards show something
 * real-looking on a new database. Every row made carries `demo_batch_id`; `removeDemoData` deletes exactly those
 * rows (and anything hanging off a demo report: values, events, evidence files) in one transaction.
 *
 * Plausible and reproducible: a seeded PRNG (mulberry32) draws which units lag, the noise around 序时进度 and the
 * workflow states; values follow each indicator's own target (cumulative: target × elapsed share, never falling;
 * annual: target × share of the year, reset each January); a few reports are returned, submitted late or missing;
 * behind values carry an explanation as the real workflow demands. Only the dates depend on `today`.
 */

export const DEMO_SEED = 20220513;
const ACTOR = '演示数据';

/** mulberry32: a small, fast, seedable PRNG (uniform [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const toDate = (s: string) => Date.parse(`${s}T00:00:00Z`);
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (s: string, n: number) => ymd(toDate(s) + n * DAY);
/** A timestamp on day `s` at a working hour. */
const at = (s: string, hour: number) =>
  `${s}T${String(hour).padStart(2, '0')}:${String((hour * 7) % 60).padStart(2, '0')}:00.000Z`;

/** The eight complete quarters before `today` (YYYY-MM-DD), oldest first. */
export function lastQuarters(today: string, n = 8): { start: string; end: string; name: string }[] {
  const d = new Date(`${today}T00:00:00Z`);
  let year = d.getUTCFullYear();
  let q = Math.floor(d.getUTCMonth() / 3); // the current quarter (0-based) is not complete
  const out: { start: string; end: string; name: string }[] = [];
  for (let k = 0; k < n; k++) {
    q -= 1;
    if (q < 0) {
      q = 3;
      year -= 1;
    }
    const start = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    const end = ymd(Date.UTC(year, q * 3 + 3, 1) - DAY);
    out.unshift({ start, end, name: `${year}年第${q + 1}季度` });
  }
  return out;
}

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

type Counts = Record<string, number> & {
  reporting_cycles: number;
  progress_reports: number;
  report_values: number;
  report_events: number;
};

/** Demo status for a signed-in user (the web's banner). */
export function demoStatusFor(db: Kysely<Database>, ctx: Ctx): Promise<DemoStatus> {
  authorize(ctx, canReadDemoStatus);
  return demoStatus(db);
}

/** Is demo data loaded, and how much. */
export async function demoStatus(db: Kysely<Database>): Promise<DemoStatus> {
  const b = await firstDemoBatch(db);
  if (!b) return { isLoaded: false, batchId: null, createdAt: null, counts: {} };
  return { isLoaded: true, batchId: b.id, createdAt: b.created_at, counts: JSON.parse(b.counts) };
}

/**
 * Load the demo batch for a plan (default: the first plan, i.e. the sample) in one transaction; refuses when a
 * batch is already loaded. Quarterly cycles for the two years before `today` are made when the plan has none.
 */
export async function loadDemoData(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { seed?: number; today?: string; planId?: string } = {},
): Promise<{ batchId: string; counts: Counts; ms: number }> {
  const t0 = performance.now();
  const seed = opts.seed ?? DEMO_SEED;
  const today = opts.today ?? ymd(Date.now());
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const batchId = newId();
  const counts: Counts = { reporting_cycles: 0, progress_reports: 0, report_values: 0, report_events: 0 };
  // The survey wave is estimated before the transaction (it is CPU work); written inside it with the rest.
  const surveyYear = Number(today.slice(0, 4)) - 1;
  const wave = await prepareWaveFromRecords(
    ctx,
    {
      name: `${surveyYear} 年公民科学素质抽样调查（演示）`,
      year: surveyYear,
      scoringRule: 'official-2021',
      mapping: Object.fromEntries(DEMO_SURVEY_HEADER.map((c) => [c, c])),
      lonelyPsu: 'fail',
      raking: { source: 'none' },
    },
    [...DEMO_SURVEY_HEADER],
    demoSurveyRecords(
      mulberry32(seed + 1),
      (await countyRows(db)).map((c) => c.short_name),
    ),
    { sourceFileName: '演示数据（系统生成）', demoBatchId: batchId },
  );

  await db.transaction().execute(async (trx) => {
    if ((await demoStatus(trx)).isLoaded)
      throw new AppError('INVALID_STATE', '演示数据已载入；如需重新载入，请先运行 kesu demo remove');
    const plan = await planForDemo(trx, opts.planId);
    if (!plan) throw new AppError('NOT_FOUND', '没有规划，无法生成演示数据（请先导入规划）');
    const heads = await versionHeads(trx, [plan.id]);
    const head = heads.find((h) => h.is_published === 1) ?? heads[0];
    if (!head) throw new AppError('NOT_FOUND', '该规划没有版本');
    const now = nowIso();
    await insertDemoBatch(trx, { id: batchId, seed, plan_id: plan.id, counts: '{}', created_at: now });

    // Cycles: the plan's own complete cycles before today, or eight quarters made for the demo.
    let cycles: ReportingCyclesTable[] = (await cyclesEndedBefore(trx, plan.id, today)).slice(-8);
    if (cycles.length === 0) {
      // The demo ends with the plan: past the plan period's end (its latest indicator deadline) the quarters stop there.
      const planEnd = await latestDeadline(trx, head.id);
      const quarters = lastQuarters(planEnd && today > planEnd ? addDays(planEnd, 1) : today);
      const made: ReportingCyclesTable[] = quarters.map((q, k) => {
        const last = k === quarters.length - 1;
        const state = last ? 'open' : k === quarters.length - 2 ? 'closed' : 'locked';
        const due = addDays(q.end, 15);
        return {
          id: newId(),
          plan_id: plan.id,
          version_id: head.id,
          name: q.name,
          frequency: 'quarterly',
          period_start: q.start,
          period_end: q.end,
          due_date: due,
          grace_days: 5,
          state,
          closed_at: state === 'open' ? null : at(addDays(due, 10), 9),
          locked_at: state === 'locked' ? at(addDays(due, 40), 9) : null,
          created_by: null,
          version: 1,
          created_at: at(q.start, 8),
          updated_at: at(q.start, 8),
          demo_batch_id: batchId,
        };
      });
      await insertChunks(trx, 'reporting_cycles', made);
      counts.reporting_cycles = made.length;
      cycles = made;
    }

    // What the plan asks of whom.
    const versionIds = [...new Set(cycles.map((c) => c.version_id))];
    const { tasks, assignments, indicators, breakdowns } = await demoPlanContent(trx, versionIds);
    const counties = await countyRows(trx);
    const startDate = planStart(head.doc_date, cycles[0]?.period_start, today);

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
                      breakdowns.find((b) => b.indicator_id === ind.id && b.unit_id === county)
                        ?.target_value ?? target / Math.max(1, counties.length),
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
            actor_name: ACTOR,
            at: at(day, hour),
            demo_batch_id: batchId,
          });
        ev('create', created, 9);
        if (isSubmitted) ev('submit', submittedDay, 10);
        if (state === 'returned') ev('return', reviewedDay, 15, reports[reports.length - 1]!.review_comment);
        if (state === 'approved') ev('approve', reviewedDay, 15);
      }
    });

    await insertChunks(trx, 'progress_reports', reports);
    await insertChunks(trx, 'report_values', values);
    await insertChunks(trx, 'report_events', events);
    counts.progress_reports = reports.length;
    counts.report_values = values.length;
    counts.report_events = events.length;
    await insertPreparedWave(trx, ctx, wave);
    counts.survey_waves = 1;
    await setDemoBatchCounts(trx, batchId, counts);
    await recordAudit(trx, ctx, {
      action: 'demo.load',
      entityType: 'demo_batch',
      entityId: batchId,
      after: { planId: plan.id, seed, today, counts },
    });
  });
  return { batchId, counts, ms: Math.round(performance.now() - t0) };
}

/**
 * Delete exactly the demo rows, in one transaction, audited: the demo reports with everything hanging off them
 * (values, events, evidence rows — real ones too, as they belong to a demo report), then the demo cycles that no
 * real report uses. Evidence files are unlinked after the commit. Returns rows deleted per table.
 */
export async function removeDemoData(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { dataDir?: string } = {},
): Promise<Record<string, number>> {
  const files: string[] = [];
  const counts: Record<string, number> = {};
  await db.transaction().execute(async (trx) => {
    const ids = await demoBatchIds(trx);
    if (ids.length === 0) throw new AppError('NOT_FOUND', '没有演示数据');
    files.push(...(await demoAttachmentPaths(trx, ids)));
    Object.assign(counts, await deleteDemoRows(trx, ids));
    await recordAudit(trx, ctx, {
      action: 'demo.remove',
      entityType: 'demo_batch',
      entityId: ids[0]!,
      before: { batches: ids },
      after: { deleted: counts },
    });
  });
  if (opts.dataDir) {
    const root = path.resolve(opts.dataDir);
    for (const f of files) {
      const full = path.resolve(root, f);
      if (full.startsWith(root + path.sep)) fs.rmSync(full, { force: true });
    }
  }
  return counts;
}
