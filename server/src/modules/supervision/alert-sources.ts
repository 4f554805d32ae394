import { NOTICE_SEVERITY_LABELS, type NoticeSeverity, type SupervisionAlert } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { lateAfter } from '../progress/plan-dates';
import { evaluatePlan } from '../progress/progress.service';
import { addDays } from './notice-state';
import {
  handedInReports,
  leadUnitsOfTasks,
  openCycles,
  overdueNoticeRows,
  plansWithCycles,
  unitNamesById,
  versionAssignments,
} from './supervision.repository';

/** An alert before the scan adds whether a notice was already made from it. */
export type AlertCandidate = Omit<SupervisionAlert, 'noticeId'>;

/** What the reader of a scan may see, decided by the caller (the policy of the reader, or of the job's audience). */
export interface AlertView {
  /** Red lights may come from survey waves not yet published. */
  includesUnpublishedSurveys: boolean;
}

/**
 * Something that raises alerts. A source reads what it needs and answers candidates; the scan (alerts.service.ts)
 * merges every registered source, so one failing source does not hide the others. Every key a source makes begins
 * with `<name>:` — the scheduled scan keeps a failed source's keys standing by that prefix.
 */
export interface AlertSource {
  readonly name: string;
  collect(db: Kysely<Database>, view: AlertView, today: string): Promise<AlertCandidate[]>;
}

/**
 * Overdue reports: in every open cycle past its due date + grace days, each unit assigned to tasks of the cycle's
 * plan version that has not handed in (submitted or approved) a report for each of them — one alert per unit ×
 * cycle, like the unit's inbox shows "已逾期". Yellow; orange after 30 days late.
 */
export const overdueReportsSource: AlertSource = {
  name: 'report_overdue',
  async collect(db, _ctx, today) {
    const out: AlertCandidate[] = [];
    for (const c of await openCycles(db)) {
      const late = lateAfter(c.due_date, c.grace_days);
      if (today <= late) continue;
      const handedIn = await handedInReports(db, c.id);
      const missing = new Map<string, { unitName: string; paths: string[] }>();
      for (const a of await versionAssignments(db, c.version_id)) {
        if (handedIn.has(`${a.unit_id}|${a.task_id}`)) continue;
        const m = missing.get(a.unit_id) ?? { unitName: a.unit_name, paths: [] };
        m.paths.push(a.path);
        missing.set(a.unit_id, m);
      }
      const daysLate = Math.round((Date.parse(today) - Date.parse(late)) / 86_400_000);
      const severity: NoticeSeverity = daysLate > 30 ? 'orange' : 'yellow';
      for (const [unitId, m] of missing) {
        const shown = m.paths.slice(0, 8).join('、') + (m.paths.length > 8 ? ` 等` : '');
        out.push({
          key: `report_overdue:${c.id}:${unitId}`,
          kind: 'report_overdue',
          unitId,
          unitName: m.unitName,
          title: `${m.unitName}：${c.name}有 ${m.paths.length} 项报告逾期未报`,
          detail: `${c.plan_title}·${c.name}，截止 ${c.due_date}（宽限 ${c.grace_days} 天，${late} 后为逾期），已逾期 ${daysLate} 天；未报任务：${shown}。`,
          since: late,
          proposal: {
            subject: `${c.name}进展报告逾期未报`,
            content: `你单位${c.name}（${c.plan_title}）有 ${m.paths.length} 项任务进展报告逾期未报（${shown}），截止日期为 ${c.due_date}。请于办理期限内完成填报并提交，说明逾期原因。`,
            severity,
            deadline: addDays(today, 7),
            link: { entityType: 'cycle', entityId: c.id, label: c.name },
          },
        });
      }
    }
    return out;
  },
};

/**
 * Red indicators: every plan with reporting cycles evaluated as of today (the progress module's evaluatePlan);
 * a red county goes to that county (区县 units key the breakdowns), a red city-wide indicator to its task's lead unit.
 * Orange: a red light means the target is at risk.
 */
export const redIndicatorsSource: AlertSource = {
  name: 'indicator_red',
  async collect(db, view, today) {
    const out: AlertCandidate[] = [];
    for (const planId of await plansWithCycles(db)) {
      // The scan's caller has authorized the reader; unpublished waves count only for those who may read surveys.
      const status = await evaluatePlan(db, {
        planId,
        asOf: today,
        publishedSurveysOnly: !view.includesUnpublishedSurveys,
      });
      const reds = status.indicators.filter(
        (i) => i.status === 'red' || i.counties.some((c) => c.status === 'red'),
      );
      const leads = await leadUnitsOfTasks(db, [...new Set(reds.map((r) => r.taskId))]);
      const countyIds = [...new Set(reds.flatMap((r) => r.counties.map((c) => c.countyId)))];
      const countyNames = new Map((await unitNamesById(db, countyIds)).map((u) => [u.id, u.short_name]));
      for (const i of reds) {
        const proposal = (unitName: string, what: string) => ({
          subject: `指标亮红灯：${i.text}`.slice(0, 200),
          content: `${status.plan.title} 任务 ${i.taskPath} ${i.taskTitle} 的指标“${i.text}”${what}亮红灯（${i.explanation}）。请${unitName}分析原因，提出整改措施并按期报告进展。`,
          severity: 'orange' as const,
          deadline: addDays(today, 15),
          link: { entityType: 'indicator' as const, entityId: i.indicatorId, label: i.text },
        });
        const redCounties = i.counties.filter((c) => c.status === 'red' && countyNames.has(c.countyId));
        if (redCounties.length > 0) {
          for (const c of redCounties) {
            const unitName = countyNames.get(c.countyId) ?? c.countyName;
            out.push({
              key: `indicator_red:${i.indicatorId}:${c.countyId}`,
              kind: 'indicator_red',
              unitId: c.countyId,
              unitName,
              title: `${unitName}：指标“${i.text}”亮红灯`,
              detail: c.text,
              since: status.asOf,
              proposal: proposal(unitName, `在${unitName}`),
            });
          }
          continue;
        }
        if (i.status !== 'red') continue;
        const lead = leads.get(i.taskId);
        if (!lead) continue; // no responsible unit to send it to
        out.push({
          key: `indicator_red:${i.indicatorId}`,
          kind: 'indicator_red',
          unitId: lead.unitId,
          unitName: lead.unitName,
          title: `${lead.unitName}：指标“${i.text}”亮红灯`,
          detail: `${i.taskPath} ${i.taskTitle}：${i.explanation}`,
          since: status.asOf,
          proposal: proposal(lead.unitName, ''),
        });
      }
    }
    return out;
  },
};

const ESCALATE: Record<NoticeSeverity, NoticeSeverity> = { yellow: 'orange', orange: 'red', red: 'red' };

/** Overdue notices: open past their deadline; proposes a notice one colour more severe (red stays red). */
export const overdueNoticesSource: AlertSource = {
  name: 'notice_overdue',
  async collect(db, _ctx, today) {
    return (await overdueNoticeRows(db, today)).map((n) => {
      const severity = ESCALATE[n.severity as NoticeSeverity] ?? 'red';
      return {
        key: `notice_overdue:${n.id}`,
        kind: 'notice_overdue' as const,
        unitId: n.unit_id,
        unitName: n.unit_name,
        title: `${n.unit_name}：督办单“${n.subject}”逾期未办结`,
        detail: `${NOTICE_SEVERITY_LABELS[n.severity as NoticeSeverity] ?? n.severity}，办理期限 ${n.deadline}，当前状态未办结。`,
        since: n.deadline,
        proposal: {
          subject: `督办逾期未办结：${n.subject}`.slice(0, 200),
          content: `你单位承办的督办事项“${n.subject}”办理期限为 ${n.deadline}，至今未办结。现升级为${NOTICE_SEVERITY_LABELS[severity]}，请单位负责同志亲自督促，按期办结并报告。`,
          severity,
          deadline: addDays(today, 7),
          link:
            n.link_type && n.link_id
              ? {
                  entityType: n.link_type as 'task' | 'indicator' | 'report' | 'cycle',
                  entityId: n.link_id,
                  label: n.link_label ?? '',
                }
              : null,
        },
      };
    });
  },
};

/**
 * REGISTRATION POINT: every source the alert scan runs, in display order. A module that can raise alerts (e.g.
 * registry checks, survey waves) adds its AlertSource here.
 */
export const ALERT_SOURCES: readonly AlertSource[] = [
  overdueReportsSource,
  redIndicatorsSource,
  overdueNoticesSource,
];
