import {
  ASSESSMENT_DEDUCTION_EVENT_LABELS,
  type AssessmentRule,
  RESOURCE_KIND_LABELS,
  type ResourceKind,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { countedPersonTimes } from '../activities/coverage.service';
import { fundingPerResident } from '../funding/funding-reads.service';
import { childJurisdictions } from '../jurisdictions/jurisdictions.service';
import { planRowsOfJurisdiction } from '../plans/plan-reads.service';
import { jurisdictionResidents } from '../progress/progress-reads.service';
import { evaluatePlan, type PlanEvaluation } from '../progress/progress.service';
import { recognitionRows } from '../registries/registries-reads.service';
import { cycleRowsOfPlan, returnEventRows } from '../reporting/reporting-reads.service';
import { type NoticeRow, noticeRowsOfUnits } from '../supervision/supervision-reads.service';
import type { RubricRow } from './assessments.repository';

/** Who a rubric assesses: a unit of the level's plan, or a child jurisdiction (with the unit standing for it). */
export interface Subject {
  kind: 'unit' | 'jurisdiction';
  id: string;
  name: string;
  /** The unit whose reports and 督办 count: the unit itself, or the county's government unit. */
  unitId: string | null;
  /** A county's path (its records); a unit's: the level's. */
  path: string;
}

/** One item's computed score for one subject. Veto items score 1 when the veto applies, else 0. */
export interface ComputedScore {
  score: number;
  explanation: string;
}

/** Points to one decimal. */
export const round1 = (v: number) => Math.round(v * 10) / 10;
const pct = (v: number) => `${round1(v * 100)}%`;
const pts = (v: number) => `${round1(v)} 分`;

/**
 * The facts of a year the rules read, each read once per computation and only when an item needs it: the level's
 * plan evaluated as of the day (indicators, task completion, who leads what), each county's own plan, report
 * timeliness and returns of the year's cycles, 督办 notices of the subjects' units.
 */
export class AssessmentFacts {
  private levelEval?: Promise<PlanEvaluation | null>;
  private countyEvals = new Map<string, Promise<PlanEvaluation | null>>();
  private reportEvents?: Promise<{
    late: Map<string, number>;
    missing: Map<string, number>;
    returned: Map<string, number>;
  }>;
  private notices?: Promise<NoticeRow[]>;

  constructor(
    readonly db: Kysely<Database>,
    readonly rubric: RubricRow,
    readonly asOf: string,
    readonly subjects: Subject[],
  ) {}

  get yearStart(): string {
    return `${this.rubric.year}-01-01`;
  }
  get yearEnd(): string {
    return `${this.rubric.year}-12-31`;
  }

  private async evaluateLevel(jurisdictionId: string): Promise<PlanEvaluation | null> {
    const [plan] = await planRowsOfJurisdiction(this.db, jurisdictionId);
    if (!plan) return null;
    return evaluatePlan(this.db, { planId: plan.id, asOf: this.asOf, publishedSurveysOnly: false });
  }

  /** The level's own plan as of the day (null: the level has no plan). */
  levelEvaluation(): Promise<PlanEvaluation | null> {
    this.levelEval ??= this.evaluateLevel(this.rubric.jurisdiction_id);
    return this.levelEval;
  }

  /** A county's own plan (实施方案) as of the day. */
  countyEvaluation(countyId: string): Promise<PlanEvaluation | null> {
    let e = this.countyEvals.get(countyId);
    if (!e) {
      e = this.evaluateLevel(countyId);
      this.countyEvals.set(countyId, e);
    }
    return e;
  }

  /** Late and missing reports (by the progress module's timeliness) and returns, per unit, of the year's cycles. */
  events() {
    this.reportEvents ??= (async () => {
      const late = new Map<string, number>();
      const missing = new Map<string, number>();
      const returned = new Map<string, number>();
      const [plan] = await planRowsOfJurisdiction(this.db, this.rubric.jurisdiction_id);
      if (!plan) return { late, missing, returned };
      const cycles = (await cycleRowsOfPlan(this.db, plan.id)).filter(
        (c) => c.period_end >= this.yearStart && c.period_end <= this.yearEnd && c.period_end <= this.asOf,
      );
      const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
      for (const c of cycles) {
        const e = await evaluatePlan(this.db, {
          planId: plan.id,
          cycleId: c.id,
          publishedSurveysOnly: false,
        });
        for (const a of e.timeliness.assignments) {
          if (a.timeliness === 'late') add(late, a.unitId);
          if (a.timeliness === 'missing') add(missing, a.unitId);
        }
      }
      for (const r of await returnEventRows(
        this.db,
        cycles.map((c) => c.id),
      ))
        add(returned, r.unit_id);
      return { late, missing, returned };
    })();
    return this.reportEvents;
  }

  noticeRows(): Promise<NoticeRow[]> {
    this.notices ??= noticeRowsOfUnits(
      this.db,
      this.subjects.flatMap((s) => (s.unitId ? [s.unitId] : [])),
    );
    return this.notices;
  }
}

/**
 * Who a rubric assesses. Counties: the level's child jurisdictions. Units: the responsible units of the level's plan
 * (the version the progress module judges), less the units standing for its children (those are the counties').
 */
export async function subjectsOf(
  db: Kysely<Database>,
  rubric: RubricRow,
  facts?: AssessmentFacts,
): Promise<Subject[]> {
  const children = await childJurisdictions(db, rubric.jurisdiction_id);
  if (rubric.audience === 'counties')
    return children.map((c) => ({
      kind: 'jurisdiction' as const,
      id: c.id,
      name: c.name,
      unitId: c.government_unit_id,
      path: c.path,
    }));
  const e = facts
    ? await facts.levelEvaluation()
    : await (async () => {
        const [plan] = await planRowsOfJurisdiction(db, rubric.jurisdiction_id);
        return plan ? evaluatePlan(db, { planId: plan.id, publishedSurveysOnly: false }) : null;
      })();
  if (!e) return [];
  const countyUnits = new Set(children.flatMap((c) => (c.government_unit_id ? [c.government_unit_id] : [])));
  const seen = new Map<string, Subject>();
  for (const a of e.content.assignments) {
    if (countyUnits.has(a.unit_id) || seen.has(a.unit_id)) continue;
    seen.set(a.unit_id, {
      kind: 'unit',
      id: a.unit_id,
      name: a.unit_short_name,
      unitId: a.unit_id,
      path: rubric.jurisdiction_path,
    });
  }
  return [...seen.values()].sort((x, y) => x.name.localeCompare(y.name, 'zh-CN'));
}

/** What the admin judged for a yes/no item (evidence, manual veto) and how much evidence there is. */
export interface Judgement {
  met: boolean | null;
  note: string | null;
  evidenceCount: number;
}

/** Compute one item for one subject. */
export async function computeItem(
  facts: AssessmentFacts,
  item: { title: string; points: number; rule: AssessmentRule },
  subject: Subject,
  judgement: Judgement,
): Promise<ComputedScore> {
  const { rule, points } = item;
  const asOf = facts.asOf;
  const year = facts.rubric.year;
  switch (rule.kind) {
    case 'evidence': {
      const ev =
        judgement.evidenceCount > 0 ? `（佐证材料 ${judgement.evidenceCount} 份）` : '（尚无佐证材料）';
      if (judgement.met === null) return { score: 0, explanation: `尚未认定是否完成${ev}，暂计 0 分` };
      return judgement.met
        ? { score: points, explanation: `经认定已完成${ev}，得 ${pts(points)}` }
        : {
            score: 0,
            explanation: `经认定未完成${ev}${judgement.note ? `：${judgement.note}` : ''}，得 0 分`,
          };
    }
    case 'indicator_threshold': {
      const e = await facts.levelEvaluation();
      const row = e?.indicators.find((i) => i.indicatorId === rule.indicatorId);
      if (!e || !row) return { score: 0, explanation: '所选指标不在本级规划中，得 0 分' };
      let progress: number | null;
      let whose: string;
      if (subject.kind === 'unit') {
        const leads = e.content.assignments.some(
          (a) => a.task_id === row.taskId && a.unit_id === subject.id && a.role === 'lead',
        );
        if (!leads)
          return {
            score: points,
            explanation: `不是指标“${row.text}”所属任务的牵头单位，本项不适用，按满分 ${pts(points)} 计`,
          };
        progress = row.progress;
        whose = '';
      } else {
        const c = row.counties.find((x) => x.countyId === subject.unitId);
        progress = c?.progress ?? null;
        whose = `${subject.name}`;
      }
      if (progress === null)
        return { score: 0, explanation: `截至 ${asOf}，指标“${row.text}”${whose}无数据，得 0 分` };
      const done = progress * 100;
      if (done + 1e-9 >= rule.threshold)
        return {
          score: points,
          explanation: `截至 ${asOf}，指标“${row.text}”${whose}完成 ${pct(progress)}，达到 ${rule.threshold}% 达标线，得 ${pts(points)}`,
        };
      const partial = rule.partial ? round1((points * done) / rule.threshold) : 0;
      return {
        score: partial,
        explanation: `截至 ${asOf}，指标“${row.text}”${whose}完成 ${pct(progress)}，未达 ${rule.threshold}% 达标线，${
          rule.partial ? `按比例得 ${pts(partial)}` : '得 0 分'
        }`,
      };
    }
    case 'proportional': {
      let progress: number | null = null;
      let what = '';
      if (subject.kind === 'unit') {
        const e = await facts.levelEvaluation();
        const led = new Set(
          (e?.content.assignments ?? [])
            .filter((a) => a.unit_id === subject.id && a.role === 'lead')
            .map((a) => a.task_id),
        );
        const values = [...led].flatMap((t) => {
          const p = e?.rollup.byTask.get(t)?.progress;
          return p === null || p === undefined ? [] : [p];
        });
        if (values.length > 0) progress = values.reduce((s, v) => s + v, 0) / values.length;
        what = `牵头任务 ${led.size} 项（有数据 ${values.length} 项）平均完成`;
      } else {
        const e = await facts.countyEvaluation(subject.id);
        if (!e) return { score: 0, explanation: `${subject.name}尚无实施方案，无法计算完成度，得 0 分` };
        progress = e.rollup.root.progress;
        what = `${subject.name}实施方案总体完成`;
      }
      if (progress === null) return { score: 0, explanation: `截至 ${asOf}，${what}无数据，得 0 分` };
      const p = Math.min(1, Math.max(0, progress));
      const score = round1(points * p);
      return {
        score,
        explanation: `截至 ${asOf}，${what} ${pct(progress)}，按比例得 ${pts(points)} × ${pct(p)} = ${pts(score)}`,
      };
    }
    case 'deduction': {
      const parts: string[] = [];
      let n = 0;
      if (rule.events.includes('late_report') || rule.events.includes('returned_report')) {
        const ev = await facts.events();
        const u = subject.unitId ?? '';
        if (rule.events.includes('late_report')) {
          const late = (ev.late.get(u) ?? 0) + (ev.missing.get(u) ?? 0);
          n += late;
          parts.push(`${ASSESSMENT_DEDUCTION_EVENT_LABELS.late_report} ${late} 次`);
        }
        if (rule.events.includes('returned_report')) {
          const r = ev.returned.get(u) ?? 0;
          n += r;
          parts.push(`退回 ${r} 次`);
        }
      }
      if (rule.events.includes('overdue_notice')) {
        const overdue = (await facts.noticeRows()).filter(
          (x) =>
            x.unit_id === subject.unitId &&
            x.deadline >= facts.yearStart &&
            x.deadline <= facts.yearEnd &&
            x.deadline < asOf &&
            (x.done_at === null || x.done_at.slice(0, 10) > x.deadline),
        );
        n += overdue.length;
        parts.push(
          `逾期督办 ${overdue.length} 次${
            overdue.length > 0
              ? `（${overdue
                  .slice(0, 3)
                  .map((x) => `“${x.subject}”`)
                  .join('、')}${overdue.length > 3 ? '等' : ''}）`
              : ''
          }`,
        );
      }
      const deducted = Math.min(points, round1(rule.perEvent * n));
      const capped = rule.perEvent * n > points ? `（最多扣 ${pts(points)}）` : '';
      return {
        score: deducted === 0 ? 0 : -deducted,
        explanation: `${year}年${parts.join('、')}，每次扣 ${pts(rule.perEvent)}，扣 ${pts(deducted)}${capped}（截至 ${asOf}）`,
      };
    }
    case 'bonus':
      return computeBonus(facts, item.points, rule, subject);
    case 'veto': {
      if (rule.condition === 'manual') {
        return judgement.met
          ? { score: 1, explanation: `经认定一票否决${judgement.note ? `：${judgement.note}` : ''}` }
          : { score: 0, explanation: '未认定否决事项' };
      }
      const open = (await facts.noticeRows()).filter(
        (x) =>
          x.unit_id === subject.unitId &&
          x.severity === 'red' &&
          x.issued_at.slice(0, 10) <= facts.yearEnd &&
          x.issued_at.slice(0, 10) >= facts.yearStart &&
          (x.closed_at === null || x.closed_at.slice(0, 10) > facts.yearEnd),
      );
      return open.length > 0
        ? {
            score: 1,
            explanation: `红色督办 ${open.map((x) => `“${x.subject}”`).join('、')}截至 ${asOf} 未销号，一票否决`,
          }
        : { score: 0, explanation: `截至 ${asOf}，${year}年无未销号的红色督办` };
    }
  }
}

async function computeBonus(
  facts: AssessmentFacts,
  points: number,
  rule: Extract<AssessmentRule, { kind: 'bonus' }>,
  subject: Subject,
): Promise<ComputedScore> {
  const asOf = facts.asOf;
  const year = facts.rubric.year;
  const db = facts.db;
  if (rule.source === 'manual') return { score: 0, explanation: '由管理员认定加分（调整分数并填写理由）' };
  if (rule.source === 'registry') {
    const kind = rule.registryKind as ResourceKind;
    const rows = await recognitionRows(db, {
      kind,
      withinPath: subject.path,
      ...(rule.levels?.length ? { levels: rule.levels } : {}),
      ...(subject.kind === 'unit' ? { unitId: subject.id } : {}),
      from: facts.yearStart,
      to: asOf,
    });
    const per = rule.perRecord ?? 0;
    const score = Math.min(points, round1(per * rows.length));
    const what = `${rule.levels?.length ? rule.levels.join('、') : ''}${RESOURCE_KIND_LABELS[kind]}`;
    const names = rows
      .slice(0, 5)
      .map((r) => `“${r.name}”`)
      .join('、');
    return {
      score,
      explanation: `${year}年新认定${what} ${rows.length} 个${rows.length > 0 ? `（${names}${rows.length > 5 ? '等' : ''}）` : ''}，每个加 ${pts(per)}，加 ${pts(score)}${per * rows.length > points ? `（最多加 ${pts(points)}）` : ''}（截至 ${asOf}）`,
    };
  }
  if (subject.kind !== 'jurisdiction')
    return { score: 0, explanation: '覆盖面和人均经费按县区计算，本项对单位不适用，不加分' };
  const threshold = rule.threshold ?? 0;
  if (rule.source === 'coverage') {
    const [pt, residents] = await Promise.all([
      countedPersonTimes(db, facts.rubric.jurisdiction_path, year, [{ id: subject.id, path: subject.path }]),
      jurisdictionResidents(
        db,
        [{ id: subject.id, parent_id: facts.rubric.jurisdiction_id, government_unit_id: subject.unitId }],
        [year],
      ),
    ]);
    const people = residents.get(`${subject.id}|${year}`)?.residents ?? null;
    const times = pt.get(subject.id)?.personTimes ?? 0;
    if (!people)
      return { score: 0, explanation: `${subject.name}缺少${year}年常住人口数据，无法计算覆盖面，不加分` };
    const coverage = times / people;
    const met = coverage * 100 + 1e-9 >= threshold;
    return {
      score: met ? points : 0,
      explanation: `${year}年科普活动参与 ${times.toLocaleString('zh-CN')} 人次，常住人口 ${people.toLocaleString('zh-CN')} 人，覆盖面 ${pct(coverage)}，${met ? `达到 ${threshold}%，加 ${pts(points)}` : `未达 ${threshold}%，不加分`}（截至 ${asOf}）`,
    };
  }
  const [f] = await fundingPerResident(db, [subject.id], [year]);
  if (!f || f.perResident === null)
    return {
      score: 0,
      explanation: `${subject.name}${year}年${f?.hasFunding ? '缺少常住人口数据' : '尚未填报科普经费'}，无法计算人均经费，不加分`,
    };
  const met = f.perResident + 1e-9 >= threshold;
  return {
    score: met ? points : 0,
    explanation: `${year}年人均科普经费 ${f.perResident} 元/人（预算 ${f.budgeted.toLocaleString('zh-CN')} 元 ÷ 常住人口 ${f.residents?.toLocaleString('zh-CN')} 人），${met ? `达到 ${threshold} 元/人，加 ${pts(points)}` : `未达 ${threshold} 元/人，不加分`}`,
  };
}
