import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNotifier } from '../notifications/notification-channels';
import { openDatabase } from '../../db/database';
import { describeEachDialect } from '../../test/env';
import { startHook, startSmtp, until } from '../../test/mail-hooks';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { dateIn, plusDays } from '../../time';
import { call } from '../../test/reporting-factory';
import { runReminders } from './reminders.service';

/**
 * Reporting reminders and notifications over every channel: in-app rows, e-mail through a real SMTP server, a
 * 企业微信 robot webhook; each event once even when two processes (here: two database handles, each with its own
 * notifier) run the reminders at the same moment; nothing e-mailed to people who gave no address or chose no e-mail.
 */
const smtp = await startSmtp();
const hook = await startHook();

// One SMTP server and one webhook for every dialect's suite: stopped once all have run.
afterAll(async () => {
  await smtp.stop();
  await hook.stop();
});

describeEachDialect(
  'reporting reminders',
  (env) => {
    let admin = { id: '', cookie: '' };
    let reporter = { id: '', cookie: '' };
    let quietReporter = { id: '', cookie: '' };
    let unitA = { id: '', name: '' };
    let unitB = { id: '', name: '' };
    let cycleId = '';
    let taskId = '';
    const today = dateIn('Asia/Shanghai');
    const opts = { timeZone: 'Asia/Shanghai', daysBefore: 3 };

    beforeAll(async () => {
      // Each dialect counts only its own messages.
      smtp.messages.length = 0;
      hook.received.length = 0;
      const e = env();
      unitA = await e.makeUnit();
      unitB = await e.makeUnit();
      admin = await e.makeUser('admin');
      reporter = await e.makeUser('reporter', { unitId: unitA.id });
      quietReporter = await e.makeUser('reporter', { unitId: unitA.id });
      const contact = await call(e.app, reporter.cookie, 'PUT', '/api/v1/users/me/contact', {
        phone: '13800000001',
        email: 'clerk@example.gov.cn',
        notifyChannels: ['email', 'webhook'],
      });
      expect(contact.statusCode, contact.body).toBe(200);
      expect(contact.json().configuredChannels).toEqual(['email', 'webhook']);
      // The other reporter gives an address but chooses no e-mail: nothing is mailed to them.
      await call(e.app, quietReporter.cookie, 'PUT', '/api/v1/users/me/contact', {
        phone: '',
        email: 'quiet@example.gov.cn',
        notifyChannels: [],
      });
      const plan = await call(e.app, admin.cookie, 'POST', '/api/v1/plans/import', {
        draft: buildTwoTaskPlanDraft(unitA, unitB, '提醒测试'),
      });
      expect(plan.statusCode, plan.body).toBe(201);
      const tree = (
        await call(e.app, admin.cookie, 'GET', `/api/v1/plans/${plan.json().plan.id}/tree`)
      ).json();
      taskId = tree.tasks.find((t: { path: string }) => t.path === '1.1').id;
      const cycle = await call(e.app, admin.cookie, 'POST', '/api/v1/reporting/cycles', {
        planId: plan.json().plan.id,
        name: '提醒测试周期',
        frequency: 'yearly',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        dueDate: plusDays(today, 2),
        graceDays: 0,
      });
      expect(cycle.statusCode, cycle.body).toBe(201);
      cycleId = cycle.json().id;
    });

    const notificationsOf = (kind: string, unitId: string) =>
      env()
        .db.kysely.selectFrom('notifications')
        .selectAll()
        .where('kind', '=', kind)
        .where('recipient_unit_id', '=', unitId)
        .execute();

    it('opened and due-in-3-days reminders go out once although two processes run them at once', async () => {
      const e = env();
      // PostgreSQL: a second pool on the same database with its own notifier, as a second server process has
      // (kesu-reminders.test.ts runs two real processes). SQLite is one process's embedded file: two runs at once.
      const other = e.dialect === 'postgres' ? openDatabase(e.config.database) : e.db;
      const log = { warn: () => {} };
      const n1 = createNotifier({ ...e.config, publicUrl: 'https://kesu.example.gov.cn' }, log, e.db.kysely);
      const n2 = createNotifier({ ...e.config, publicUrl: 'https://kesu.example.gov.cn' }, log, other.kysely);
      try {
        const [a, b] = await Promise.all([
          runReminders(e.db.kysely, n1, opts),
          runReminders(other.kysely, n2, opts),
        ]);
        // Unit A: opened + deadline; unit B (co-operating on 1.1): opened + deadline. Split between the two.
        expect(a + b).toBe(4);
        expect(await runReminders(e.db.kysely, n1, opts)).toBe(0);
        await Promise.all([n1.idle(), n2.idle()]);
      } finally {
        await n1.close();
        await n2.close();
        if (other !== e.db) await other.close();
      }
      expect(await notificationsOf('cycle.opened', unitA.id)).toHaveLength(1);
      const deadline = await notificationsOf('cycle.deadline', unitA.id);
      expect(deadline).toHaveLength(1);
      expect(deadline[0]?.title).toContain(plusDays(today, 2));
      expect(deadline[0]?.body).toContain('2 项任务未提交');

      // E-mail: one message per event to the reporter who chose it; none to the one who did not.
      await until(() => smtp.messages.length >= 2);
      const toClerk = smtp.messages.filter((m) => m.to.includes('clerk@example.gov.cn'));
      expect(toClerk).toHaveLength(2);
      expect(smtp.messages.some((m) => m.to.includes('quiet@example.gov.cn'))).toBe(false);
      expect(toClerk.map((m) => m.raw).join('\n')).toContain('Subject: =?UTF-8?');

      // 企业微信 robot: a text message per notification, @-mentioning the reporter who chose it.
      await until(() => hook.received.length >= 4);
      expect(hook.received).toHaveLength(4);
      const forA = hook.received.filter((r) => JSON.stringify(r.body).includes('13800000001'));
      expect(forA).toHaveLength(2);
      expect(forA[0]?.body).toMatchObject({
        msgtype: 'text',
        text: { mentioned_mobile_list: ['13800000001'] },
      });
      const text = (forA[0]?.body.text ?? {}) as { content?: string };
      expect(String(text.content)).toContain('https://kesu.example.gov.cn/reporting');

      const audit = await e.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'after_json'])
        .where('action', '=', 'reminder.send')
        .where('entity_id', '=', cycleId)
        .execute();
      expect(audit).toHaveLength(4);
    });

    it('催报 a selection: once a day per unit; a unit with nothing left is skipped', async () => {
      const e = env();
      const first = await call(e.app, admin.cookie, 'POST', `/api/v1/reporting/cycles/${cycleId}/urge`, {
        unitIds: [unitA.id],
        message: '请今天完成',
      });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ done: 1, skipped: 0 });
      const again = await call(e.app, admin.cookie, 'POST', `/api/v1/reporting/cycles/${cycleId}/urge`, {
        unitIds: [unitA.id],
      });
      expect(again.json().items[0]).toMatchObject({ ok: false, reason: '今天已催报过' });
      const urged = await notificationsOf('cycle.urge', unitA.id);
      expect(urged).toHaveLength(1);
      expect(urged[0]?.body).toContain('请今天完成');
      // Not late yet: "all late units" is nobody.
      const all = await call(e.app, admin.cookie, 'POST', `/api/v1/reporting/cycles/${cycleId}/urge`, {});
      expect(all.json()).toMatchObject({ done: 0, items: [] });
      const units = (
        await call(e.app, admin.cookie, 'GET', `/api/v1/reporting/cycles/${cycleId}/units`)
      ).json();
      const a = units.items.find((u: { unitId: string }) => u.unitId === unitA.id);
      expect(a).toMatchObject({ tasks: 2, done: 0, isLate: false });
      expect(a.lastUrgedAt).not.toBeNull();
      expect(
        (await call(e.app, reporter.cookie, 'POST', `/api/v1/reporting/cycles/${cycleId}/urge`, {}))
          .statusCode,
      ).toBe(403);
    });

    it('approved and returned reach the unit; a resubmission reaches the reviewer; bulk review', async () => {
      const e = env();
      const open = await call(e.app, reporter.cookie, 'POST', '/api/v1/reports', { cycleId, taskId });
      const report = open.json();
      const indicator = report.indicators[0].id;
      const saved = await call(e.app, reporter.cookie, 'PATCH', `/api/v1/reports/${report.id}`, {
        version: report.version,
        progress: 'in_progress',
        narrative: '按计划推进',
        values: [{ indicatorId: indicator, countyId: null, value: 20, note: '' }],
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const all = await call(e.app, reporter.cookie, 'POST', '/api/v1/reports/submit-all', { cycleId });
      expect(all.statusCode, all.body).toBe(200);
      expect(all.json()).toMatchObject({ done: 1 });
      const returned = await call(e.app, admin.cookie, 'POST', '/api/v1/reports/review', {
        decision: 'return',
        reportIds: [report.id],
        comment: '请补充佐证',
      });
      expect(returned.json()).toMatchObject({ done: 1, skipped: 0 });
      const back = await notificationsOf('report.returned', unitA.id);
      expect(back).toHaveLength(1);
      expect(back[0]?.body).toContain('请补充佐证');
      const again = await call(e.app, reporter.cookie, 'POST', '/api/v1/reports/submit-all', { cycleId });
      expect(again.json()).toMatchObject({ done: 1 });
      const toReviewer = await e.db.kysely
        .selectFrom('notifications')
        .selectAll()
        .where('kind', '=', 'report.resubmitted')
        .where('recipient_user_id', '=', admin.id)
        .execute();
      expect(toReviewer).toHaveLength(1);
      const approved = await call(e.app, admin.cookie, 'POST', '/api/v1/reports/review', {
        decision: 'approve',
        reportIds: [report.id, report.id],
        comment: '',
      });
      expect(approved.json()).toMatchObject({ done: 1 });
      const twice = await call(e.app, admin.cookie, 'POST', '/api/v1/reports/review', {
        decision: 'approve',
        reportIds: [report.id],
        comment: '',
      });
      expect(twice.json().items[0]).toMatchObject({ ok: false });
      expect(await notificationsOf('report.approved', unitA.id)).toHaveLength(1);
      const noComment = await call(e.app, admin.cookie, 'POST', '/api/v1/reports/review', {
        decision: 'return',
        reportIds: [report.id],
        comment: '',
      });
      expect(noComment.statusCode).toBe(400);
    });
  },
  { env: { SMTP_URL: smtp.url, NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_WEBHOOK_FORMAT: 'wecom' } },
);

describeEachDialect('reporting reminders, no channel configured', (env) => {
  it('sends in-app only: no e-mail, no webhook', async () => {
    const e = env();
    expect(e.config.smtpUrl).toBeNull();
    expect(e.config.notifyWebhookUrl).toBeNull();
    const notifier = createNotifier(e.config, { warn: () => {} }, e.db.kysely);
    expect(notifier.channels.map((c) => c.name)).toEqual(['in-app']);
    const reporter = await e.makeUser('reporter');
    const contact = await call(e.app, reporter.cookie, 'GET', '/api/v1/users/me/contact');
    expect(contact.json().configuredChannels).toEqual([]);
  });
});
