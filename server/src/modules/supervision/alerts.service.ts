import { authorize } from '../../authorize';
import {
  type AlertList,
  type AlertsToNotices,
  AlertsToNoticesSchema,
  type AlertsToNoticesResult,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import type { Notifier } from '../notifications/notification-channels';
import { canReadSurveys } from '../surveys/surveys.policy';
import { ALERT_SOURCES, type AlertSource, type AlertView } from './alert-sources';
import { todayUtc } from './notice-state';
import { canIssueNotice, canReadAlerts } from './supervision.policy';
import { issueNotice } from './supervision.service';
import { lastFinishedAlertScan, openNoticesByAlertKey } from './supervision.repository';

/** The part of pino the scan uses. */
export interface ScanLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Compute alerts now from every registered source (on demand; the scheduled scan in alert-scan.service.ts stores
 * only which keys it has seen). With them, when the last scheduled scan ran. A failing source is logged and named in `failedSources`; the others still answer. Each alert says
 * whether an unclosed notice was already made from it.
 */
export async function scanAlerts(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { now?: Date; sources?: readonly AlertSource[]; log?: ScanLogger } = {},
): Promise<AlertList> {
  authorize(ctx, canReadAlerts);
  const scan = await collectAlerts(db, { includesUnpublishedSurveys: canReadSurveys(ctx.user) }, opts);
  return { ...scan, lastAutoScan: await lastAutoScan(db) };
}

/**
 * The scan itself, for a reader whose right to alerts the caller has checked (a signed-in reader through
 * scanAlerts, the scheduled job for the office).
 */
export async function collectAlerts(
  db: Kysely<Database>,
  view: AlertView,
  opts: { now?: Date; sources?: readonly AlertSource[]; log?: ScanLogger } = {},
): Promise<Omit<AlertList, 'lastAutoScan'>> {
  const today = todayUtc(opts.now);
  const failedSources: string[] = [];
  const candidates = [];
  for (const source of opts.sources ?? ALERT_SOURCES) {
    try {
      candidates.push(...(await source.collect(db, view, today)));
    } catch (err) {
      failedSources.push(source.name);
      opts.log?.warn(
        { source: source.name, err: err instanceof Error ? err.message : String(err) },
        'alert source failed',
      );
    }
  }
  const made = await openNoticesByAlertKey(
    db,
    candidates.map((c) => c.key),
  );
  const items = candidates
    .map((c) => ({ ...c, noticeId: made.get(c.key) ?? null }))
    .sort((a, b) => a.since.localeCompare(b.since) || a.key.localeCompare(b.key));
  return { today, items, failedSources };
}

/** The part of the installation a scan covers (alert_scans.scope): alerts are read at the root, over every unit. */
export const ALERT_SCOPE_ALL = 'all';

/** The last finished scheduled scan, as the alerts page shows it (null: none ran yet). */
async function lastAutoScan(db: Kysely<Database>): Promise<AlertList['lastAutoScan']> {
  const row = await lastFinishedAlertScan(db, ALERT_SCOPE_ALL);
  if (!row?.finished_at) return null;
  return {
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    found: row.alerts_found,
    new: row.alerts_new,
    failedSources: JSON.parse(row.failed_sources) as string[],
  };
}

/**
 * 转为督办, for a selection: each selected alert still standing becomes a notice with its proposal (the same as
 * issuing it from the form, one audited transaction each). Alerts that are gone, already have an open notice or
 * cannot be issued are listed with the reason; the others are issued.
 */
export async function alertsToNotices(
  db: Kysely<Database>,
  ctx: Ctx,
  notifier: Notifier,
  input: AlertsToNotices,
  opts: { now?: Date; log?: ScanLogger } = {},
): Promise<AlertsToNoticesResult> {
  authorize(ctx, canIssueNotice, '只有管理员可以交办督办单');
  const { alertKeys } = AlertsToNoticesSchema.parse(input);
  const standing = new Map((await scanAlerts(db, ctx, opts)).items.map((a) => [a.key, a]));
  const result: AlertsToNoticesResult = { created: [], skipped: [] };
  for (const key of new Set(alertKeys)) {
    const alert = standing.get(key);
    if (!alert) {
      result.skipped.push({ alertKey: key, reason: '预警已不存在（情况已变化），请刷新后重试' });
      continue;
    }
    if (alert.noticeId) {
      result.skipped.push({ alertKey: key, reason: '已转为督办，尚未办结' });
      continue;
    }
    try {
      const notice = await issueNotice(
        db,
        ctx,
        notifier,
        {
          unitId: alert.unitId,
          subject: alert.proposal.subject,
          content: alert.proposal.content,
          severity: alert.proposal.severity,
          deadline: alert.proposal.deadline,
          link: alert.proposal.link,
          alertKey: alert.key,
        },
        opts.now,
      );
      result.created.push({ alertKey: key, noticeId: notice.id });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      result.skipped.push({ alertKey: key, reason: err.message });
    }
  }
  return result;
}
