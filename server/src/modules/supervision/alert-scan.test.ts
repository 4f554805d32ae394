import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { createJobQueue } from '../../jobs';
import type { JobHandler, JobQueue } from '../../jobs/job-queue';
import { localQueue } from '../../jobs/local-queue';
import { inAppChannel, Notifier } from '../notifications/notification-channels';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { call } from '../../test/reporting-factory';
import { DIALECTS, describeEachDialect, openTestDatabase, type TestEnv } from '../../test/env';
import { ALERT_SCAN_JOB, ALERTS_PAGE, registerAlertScanJob, runAlertScan } from './alert-scan.service';
import { overdueNoticesSource } from './alert-sources';
import { addDays, todayUtc } from './notice-state';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inApp = () => new Notifier([inAppChannel], { warn: () => {} });

/** The in-process queue, remembering what was registered and scheduled (the module does both in buildApp). */
function recordingQueue(inner: JobQueue) {
  const handlers = new Map<string, JobHandler<unknown>>();
  const schedules = new Map<string, string>();
  const q: JobQueue = {
    ...inner,
    async register<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }) {
      handlers.set(name, handler as JobHandler<unknown>);
      await inner.register(name, handler, options);
    },
    async schedule(name: string, cron: string) {
      schedules.set(name, cron);
      await inner.schedule(name, cron);
    },
  };
  return { q, handlers, schedules };
}

describeEachDialect('supervision alert scan job', (env) => {
  let admin = { id: '', cookie: '' };
  let cityAdmin = { id: '', cookie: '' };
  let county = { id: '', cookie: '' };
  let leader = { id: '', cookie: '' };
  let unit = { id: '', name: '' };
  /** The handler the supervision module registered, and the clock of its queue. */
  let handler: JobHandler<unknown>;
  let clock = Date.UTC(2026, 11, 4, 7, 0);
  let schedules = new Map<string, string>();
  let stopSecond: () => Promise<void> = async () => {};
  /** Active admins of the root (the bootstrap admin, `admin`, `cityAdmin`): the digest's recipients. */
  let rootAdmins = 0;

  const runJob = () =>
    handler({ id: 'test', data: {}, retryCount: 0, progress: async () => {} }) as Promise<{
      found: number;
      new: number;
      cleared: number;
      notified: number;
    }>;
  const digests = (userId: string) =>
    env()
      .db.kysely.selectFrom('notifications')
      .selectAll()
      .where('recipient_user_id', '=', userId)
      .where('kind', '=', 'alerts.new')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const overdueNotice = async (subject: string) => {
    const res = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices', {
      unitId: unit.id,
      subject,
      content: '请说明原因并提出整改措施。',
      severity: 'yellow',
      deadline: addDays(todayUtc(), 10),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    await setDeadline(id, addDays(todayUtc(), -3));
    return id;
  };
  const setDeadline = (id: string, deadline: string) =>
    env().db.kysely.updateTable('supervision_notices').set({ deadline }).where('id', '=', id).execute();

  beforeAll(async () => {
    const e: TestEnv = env();
    unit = await e.makeUnit();
    admin = await e.makeUser('admin');
    const city = (await jurisdictionIds(e, admin.cookie)).get('徐州市');
    cityAdmin = await e.makeUser('admin', { jurisdictionId: city ?? null });
    const c = await countyAdmin(e, admin.cookie, '丰县');
    const countyUser = await e.db.kysely
      .selectFrom('users')
      .select('id')
      .where('jurisdiction_id', '=', c.jurisdictionId)
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    county = { id: countyUser.id, cookie: c.cookie };
    leader = await e.makeUser('leader');
    rootAdmins = (
      await e.db.kysely
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('is_active', '=', 1)
        .where((w) => w.or([w('jurisdiction_id', 'is', null), w('jurisdiction_id', '=', city ?? '')]))
        .execute()
    ).length;
    expect(rootAdmins).toBeGreaterThanOrEqual(2);
    // A second app on the same database whose queue runs on a clock the test moves, with a schedule configured.
    const rec = recordingQueue(localQueue({ now: () => clock, pollMs: 20 }));
    await rec.q.start();
    const app = await buildApp({
      config: { ...e.config, alertScanCron: '30 7 * * *' },
      db: e.db,
      jobs: rec.q,
    });
    stopSecond = async () => {
      await app.close();
      await rec.q.stop(5000);
    };
    const h = rec.handlers.get(ALERT_SCAN_JOB);
    if (!h) throw new Error('the supervision module registered no alert scan');
    handler = h;
    schedules = rec.schedules;
  });

  it('is scheduled with the configured cron and runs when the schedule comes', async () => {
    expect(schedules.get(ALERT_SCAN_JOB)).toBe('30 7 * * *');
    // Before any scheduled scan the alerts page says so.
    const before = await call(env().app, admin.cookie, 'GET', '/api/v1/supervision/alerts');
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().lastAutoScan).toBeNull();
    const runs = () =>
      env().db.kysely.selectFrom('alert_scans').selectAll().where('finished_at', 'is not', null).execute();
    expect(await runs()).toHaveLength(0);
    clock = Date.UTC(2026, 11, 4, 7, 29);
    await sleep(200);
    expect(await runs()).toHaveLength(0);
    clock = Date.UTC(2026, 11, 4, 7, 30);
    const end = Date.now() + 20_000;
    while ((await runs()).length === 0 && Date.now() < end) await sleep(50);
    const done = await runs();
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ scope: 'all', failed_sources: '[]' });
    const after = await call(env().app, admin.cookie, 'GET', '/api/v1/supervision/alerts');
    expect(after.json().lastAutoScan).toMatchObject({
      startedAt: done[0]?.started_at,
      found: done[0]?.alerts_found,
      new: done[0]?.alerts_new,
      failedSources: [],
    });
  });

  it('tells each root admin once of new alerts, never again of a standing one', async () => {
    // Whatever stands already (the seeded database) is claimed by a first run.
    await runJob();
    const base = await Promise.all([admin, cityAdmin].map((u) => digests(u.id)));

    const first = await overdueNotice('科普基地建设进度滞后');
    const r1 = await runJob();
    expect(r1).toMatchObject({ new: 1, notified: rootAdmins });
    for (const [i, u] of [admin, cityAdmin].entries()) {
      const d = await digests(u.id);
      expect(d).toHaveLength((base[i]?.length ?? 0) + 1);
      expect(d.at(-1)?.title).toContain('新增预警 1 条：');
      expect(d.at(-1)?.title).toContain('科普基地建设进度滞后');
      expect(d.at(-1)?.link).toBe(ALERTS_PAGE);
    }
    // A county's admin does not read the city's alerts; a leader reads them but does not act on them.
    expect(await digests(county.id)).toHaveLength(0);
    expect(await digests(leader.id)).toHaveLength(0);

    // The same alerts again: nothing new, nothing sent.
    const r2 = await runJob();
    expect(r2).toMatchObject({ new: 0, notified: 0, cleared: 0 });
    expect(await digests(admin.id)).toHaveLength((base[0]?.length ?? 0) + 1);

    // One more alert: the next digest names only it.
    await overdueNotice('青少年科技活动未开展');
    const r3 = await runJob();
    expect(r3).toMatchObject({ new: 1, notified: rootAdmins });
    const d3 = await digests(admin.id);
    expect(d3).toHaveLength((base[0]?.length ?? 0) + 2);
    expect(d3.at(-1)?.title).toContain('新增预警 1 条：');
    expect(d3.at(-1)?.title).toContain('青少年科技活动未开展');
    expect(d3.at(-1)?.title).not.toContain('科普基地建设进度滞后');

    // An alert that cleared (deadline moved) and came back is new again.
    await setDeadline(first, addDays(todayUtc(), 5));
    expect(await runJob()).toMatchObject({ new: 0, cleared: 1, notified: 0 });
    await setDeadline(first, addDays(todayUtc(), -1));
    expect(await runJob()).toMatchObject({ new: 1, notified: rootAdmins });
    expect((await digests(admin.id)).at(-1)?.title).toContain('科普基地建设进度滞后');

    // Each run is recorded; the alerts page shows the last one.
    const scans = await env()
      .db.kysely.selectFrom('alert_scans')
      .selectAll()
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(scans.length).toBeGreaterThanOrEqual(6);
    expect(scans[0]).toMatchObject({ alerts_new: 1, notified: rootAdmins, failed_sources: '[]' });
    expect(scans.every((s) => s.finished_at !== null)).toBe(true);
    const page = await call(env().app, admin.cookie, 'GET', '/api/v1/supervision/alerts');
    expect(page.json().lastAutoScan).toMatchObject({ new: 1, found: scans[0]?.alerts_found });
  });

  it('keeps a failed source’s alerts standing, and two runs at once announce a new alert once', async () => {
    await runJob();
    const before = (await digests(admin.id)).length;
    // The notice source fails: its alerts are unknown this time, neither cleared nor new afterwards.
    const broken = { name: overdueNoticesSource.name, collect: () => Promise.reject(new Error('boom')) };
    const warned: string[] = [];
    const failedRun = await runAlertScan(env().db.kysely, inApp(), {
      sources: [broken],
      log: { warn: (_o, msg) => void warned.push(msg) },
    });
    expect(failedRun).toMatchObject({ failedSources: ['notice_overdue'], cleared: 0, new: 0 });
    expect(warned).toEqual(['alert source failed']);
    expect(await runJob()).toMatchObject({ new: 0, notified: 0 });

    await overdueNotice('老年人科普讲座滞后');
    const [a, b] = await Promise.all([runJob(), runJob()]);
    expect((a?.new ?? 0) + (b?.new ?? 0)).toBe(1);
    const after = await digests(admin.id);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)?.title).toContain('老年人科普讲座滞后');
  });
  afterAll(() => stopSecond());
});

// pg-boss keeps schedules in its own table: what the module asked for is there, in UTC, and goes when turned off.
describe.runIf(DIALECTS.includes('postgres'))('supervision alert scan schedule on pg-boss', () => {
  it('schedules by ALERT_SCAN_CRON (UTC) and removes the schedule when turned off', async () => {
    const t = await openTestDatabase('postgres', { ALERT_SCAN_CRON: '15 0 * * 1' });
    const q = createJobQueue(t.config);
    await q.start();
    const scheduleRow = () =>
      t.db.kysely
        .selectFrom('pgboss.schedule' as never)
        .selectAll()
        .where('name' as never, '=', ALERT_SCAN_JOB as never)
        .executeTakeFirst();
    try {
      await registerAlertScanJob(q, t.db.kysely, inApp(), t.config.alertScanCron);
      expect(await scheduleRow()).toMatchObject({ cron: '15 0 * * 1', options: { tz: 'UTC' } });
      await registerAlertScanJob(q, t.db.kysely, inApp(), null);
      expect(await scheduleRow()).toBeUndefined();
    } finally {
      await q.stop(5000);
      await t.cleanup();
    }
  }, 60_000);
});
