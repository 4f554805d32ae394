import type { SupervisionAlert } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { AuthUser } from '../../context';
import type { Database } from '../../db/schema';
import { newId, nowIso } from '../../ids';
import type { JobQueue } from '../../jobs/job-queue';
import type { Notifier, OutboundNotification } from '../notifications/notification-channels';
import { notifyInTransaction } from '../notifications/notifications.service';
import type { AlertSource } from './alert-sources';
import { ALERT_SCOPE_ALL, collectAlerts, type ScanLogger } from './alerts.service';
import { canReceiveAlertDigest } from './supervision.policy';
import {
  activeAdminsWithJurisdiction,
  claimAlertKeys,
  clearAlertKeys,
  finishAlertScan,
  insertAlertScan,
  standingAlertKeys,
} from './supervision.repository';

/** The job name of the scheduled alert scan (预警扫描) on the app's queue. */
export const ALERT_SCAN_JOB = 'supervision-alert-scan';

/** Where the digest notification leads. */
export const ALERTS_PAGE = '/supervision/alerts';

/** Titles of new alerts the digest's body lists before "等". */
const DIGEST_SHOWN = 5;

export interface AlertScanResult {
  scanId: string;
  found: number;
  new: number;
  cleared: number;
  failedSources: string[];
  notified: number;
}

/**
 * Register the scan on the app's queue, and schedule it by `cron` (UTC, once per schedule across nodes); null
 * removes a schedule an earlier start made (ALERT_SCAN_CRON=off). The handler is registered either way, so the
 * scan can also be enqueued by hand.
 */
export async function registerAlertScanJob(
  jobs: JobQueue,
  db: Kysely<Database>,
  notifier: Notifier,
  cron: string | null,
  log?: ScanLogger,
): Promise<void> {
  await jobs.register(ALERT_SCAN_JOB, async () => ({ ...(await runAlertScan(db, notifier, { log })) }));
  if (cron) await jobs.schedule(ALERT_SCAN_JOB, cron);
  else await jobs.unschedule(ALERT_SCAN_JOB);
}

/** The key's source: every source's keys begin with `<source name>:` (alert-sources.ts). */
function sourceOfKey(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

/** One in-app notification per recipient, whatever the number of new alerts. */
function digestOf(fresh: SupervisionAlert[]): { kind: string; title: string; body: string; link: string } {
  const shown = fresh.slice(0, DIGEST_SHOWN).map((a) => a.title);
  const more = fresh.length > DIGEST_SHOWN ? `等` : '';
  return {
    kind: 'alerts.new',
    title: `新增预警 ${fresh.length} 条：${shown.join('；')}${more}`.slice(0, 200),
    body: `自动预警扫描发现 ${fresh.length} 条新预警：${shown.join('；')}${more}。请到“预警”页查看，按需转为督办。`,
    link: ALERTS_PAGE,
  };
}

/**
 * One scheduled scan, as the system (no signed-in user): computes the alerts the office reads, records the run,
 * claims the keys it has not seen standing before, clears the keys gone (not those of a source that failed: its
 * alerts are unknown this time, so they neither clear nor come back as new), and sends each admin the digest
 * (canReceiveAlertDigest) ONE in-app notification listing the new alerts — nothing when none is new. Keys, run and
 * notifications commit together; a key is claimed by one run only (alert_keys' primary key), so a second run, even
 * at the same moment on another node, does not announce it again.
 */
export async function runAlertScan(
  db: Kysely<Database>,
  notifier: Notifier,
  opts: { now?: Date; sources?: readonly AlertSource[]; log?: ScanLogger } = {},
): Promise<AlertScanResult> {
  const scope = ALERT_SCOPE_ALL;
  const scanId = newId();
  await insertAlertScan(db, {
    id: scanId,
    scope,
    started_at: nowIso(opts.now),
    finished_at: null,
    alerts_found: 0,
    alerts_new: 0,
    alerts_cleared: 0,
    failed_sources: '[]',
    notified: 0,
  });
  // The digest goes to the root's admins, who read every survey wave (canReadSurveys): the scan sees what they see.
  const { items, failedSources } = await collectAlerts(db, { includesUnpublishedSurveys: true }, opts);
  const failed = new Set(failedSources);
  const { result, sent } = await db.transaction().execute(async (trx) => {
    const now = nowIso(opts.now);
    const keys = items.map((a) => a.key);
    const claimed = await claimAlertKeys(trx, scope, keys, now);
    const seen = new Set(keys);
    const gone = (await standingAlertKeys(trx, scope)).filter(
      (k) => !seen.has(k) && !failed.has(sourceOfKey(k)),
    );
    const cleared = await clearAlertKeys(trx, scope, gone, now);
    const fresh = items.filter((a) => claimed.has(a.key));
    let sent: OutboundNotification[] = [];
    if (fresh.length > 0) {
      const userIds = (await activeAdminsWithJurisdiction(trx))
        .filter((r) =>
          canReceiveAlertDigest({
            id: r.id,
            username: r.username,
            displayName: r.display_name,
            role: 'admin',
            unitId: r.unit_id,
            mustChangePassword: false,
            jurisdictionId: r.jurisdiction_id,
            jurisdictionPath: r.jurisdiction_path,
          } satisfies AuthUser),
        )
        .map((r) => r.id);
      if (userIds.length > 0) sent = await notifyInTransaction(trx, notifier, { userIds }, digestOf(fresh));
    }
    await finishAlertScan(trx, scanId, {
      finished_at: nowIso(opts.now),
      alerts_found: items.length,
      alerts_new: fresh.length,
      alerts_cleared: cleared,
      failed_sources: JSON.stringify(failedSources),
      notified: sent.length,
    });
    return {
      sent,
      result: {
        scanId,
        found: items.length,
        new: fresh.length,
        cleared,
        failedSources,
        notified: sent.length,
      },
    };
  });
  notifier.afterCommit(sent);
  return result;
}
