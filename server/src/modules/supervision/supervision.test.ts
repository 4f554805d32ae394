import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { call } from '../../test/reporting-factory';
import { addDays, todayUtc } from './notice-state';

const FORGED = '01ZZZZZZZZZZZZZZZZZZZZZZZZ';

/**
 * Supervision over HTTP on a real database: 交办 → 签收 → 回复 → 办结 → 退回/销号 enforced by the server, overdue
 * flags and filters, notifications to the right recipients in the same transaction, audit, optimistic concurrency,
 * and the alert scan (overdue reports, red indicators, overdue notices) turned into a notice.
 */
describeEachDialect('supervision', (env) => {
  let admin = { id: '', cookie: '' };
  let admin2 = { id: '', cookie: '' };
  let reporterA = { id: '', cookie: '' };
  let reporterB = { id: '', cookie: '' };
  let leader = { id: '', cookie: '' };
  let unitA = { id: '', name: '' };
  let unitB = { id: '', name: '' };
  const deadline = addDays(todayUtc(), 10);

  beforeAll(async () => {
    const e = env();
    unitA = await e.makeUnit();
    unitB = await e.makeUnit();
    admin = await e.makeUser('admin');
    admin2 = await e.makeUser('admin');
    reporterA = await e.makeUser('reporter', { unitId: unitA.id });
    reporterB = await e.makeUser('reporter', { unitId: unitB.id });
    leader = await e.makeUser('leader');
  });

  const issue = async (overrides: Record<string, unknown> = {}) => {
    const res = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices', {
      unitId: unitA.id,
      subject: '科普基地建设进度滞后',
      content: '请说明原因并提出整改措施。',
      severity: 'yellow',
      deadline,
      ...overrides,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number; state: string };
  };
  const step = (cookie: string, id: string, action: string, body: Record<string, unknown>) =>
    call(env().app, cookie, 'POST', `/api/v1/supervision/notices/${id}/${action}`, body);
  const notificationsOf = (where: { userId?: string; unitId?: string }, noticeId: string) =>
    env()
      .db.kysely.selectFrom('notifications')
      .selectAll()
      .where('link', '=', `/supervision/notices/${noticeId}`)
      .where(
        where.userId ? 'recipient_user_id' : 'recipient_unit_id',
        '=',
        where.userId ?? where.unitId ?? '',
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();

  it('walks 交办 → 签收 → 回复 → 办结 → 退回 → 办结 → 销号 with a timeline, audit and notifications', async () => {
    const n = await issue({ severity: 'orange' });
    expect(n.state).toBe('issued');
    expect((await notificationsOf({ unitId: unitA.id }, n.id)).map((x) => x.kind)).toEqual(['notice.issued']);

    const signed = await step(reporterA.cookie, n.id, 'sign', { version: n.version });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ state: 'signed', version: 2 });
    expect(signed.json().signedAt).toBeTruthy();
    const replied = await step(reporterA.cookie, n.id, 'reply', {
      version: 2,
      comment: '已召开专题会部署整改',
    });
    expect(replied.json()).toMatchObject({ state: 'signed', version: 3 });
    const done = await step(reporterA.cookie, n.id, 'finish', { version: 3, comment: '整改完成' });
    expect(done.json()).toMatchObject({ state: 'done', version: 4, can: { sign: false, finish: false } });
    const back = await step(admin.cookie, n.id, 'return', { version: 4, comment: '请补充佐证数据' });
    expect(back.json()).toMatchObject({ state: 'returned', doneAt: null });
    const again = await step(reporterA.cookie, n.id, 'finish', { version: 5, comment: '已补充' });
    expect(again.json().state).toBe('done');
    const closed = await step(admin.cookie, n.id, 'close', { version: 6 });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ state: 'closed', isOverdue: false });
    expect(closed.json().events.map((e: { action: string }) => e.action)).toEqual([
      'issue',
      'sign',
      'reply',
      'finish',
      'return',
      'finish',
      'close',
    ]);
    expect(closed.json().events[4]).toMatchObject({
      fromState: 'done',
      toState: 'returned',
      comment: '请补充佐证数据',
    });

    // The unit hears what the office does; every admin hears what the unit does.
    expect((await notificationsOf({ unitId: unitA.id }, n.id)).map((x) => x.kind)).toEqual([
      'notice.issued',
      'notice.returned',
      'notice.closed',
    ]);
    for (const a of [admin, admin2]) {
      expect((await notificationsOf({ userId: a.id }, n.id)).map((x) => x.kind)).toEqual([
        'notice.signed',
        'notice.replied',
        'notice.done',
        'notice.done',
      ]);
    }
    expect(await notificationsOf({ unitId: unitB.id }, n.id)).toHaveLength(0);
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', n.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'notice.issue',
      'notice.sign',
      'notice.reply',
      'notice.finish',
      'notice.return',
      'notice.finish',
      'notice.close',
    ]);
    expect(audit[1]?.actor_id).toBe(reporterA.id);
  });

  it.each([
    ['sign', 'signed', 'reporter'],
    ['finish', 'issued', 'reporter'],
    ['reply', 'issued', 'reporter'],
    ['close', 'signed', 'admin'],
    ['return', 'signed', 'admin'],
    ['sign', 'closed', 'reporter'],
    ['finish', 'closed', 'reporter'],
    ['reply', 'done', 'reporter'],
    ['close', 'closed', 'admin'],
  ] as const)(
    'refuses %s on a %s notice with NOTICE_INVALID_TRANSITION, changing nothing',
    async (action, state, who) => {
      const n = await issue();
      // Put the notice in the state under test directly: this test is about the guard, not the path there.
      await env()
        .db.kysely.updateTable('supervision_notices')
        .set({ state })
        .where('id', '=', n.id)
        .execute();
      const cookie = who === 'admin' ? admin.cookie : reporterA.cookie;
      const before = await env().db.kysely.selectFrom('notifications').select('id').execute();
      const res = await step(cookie, n.id, action, { version: n.version, comment: '说明' });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('NOTICE_INVALID_TRANSITION');
      expect(res.json().error.message).toMatch(/^督办单已/);
      expect(res.json().error.details).toMatchObject({ state, action });
      const row = await env()
        .db.kysely.selectFrom('supervision_notices')
        .select(['state', 'version'])
        .where('id', '=', n.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state, version: n.version });
      expect(await env().db.kysely.selectFrom('notifications').select('id').execute()).toHaveLength(
        before.length,
      );
    },
  );

  it('a stale version is a CONFLICT and leaves no event, audit row or notification behind (same transaction)', async () => {
    const n = await issue();
    const ok = await step(reporterA.cookie, n.id, 'sign', { version: n.version });
    expect(ok.statusCode).toBe(200);
    const stale = await step(reporterA.cookie, n.id, 'reply', { version: n.version, comment: '迟到的回复' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT');
    const events = await env()
      .db.kysely.selectFrom('supervision_events')
      .select('action')
      .where('notice_id', '=', n.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(['issue', 'sign']);
    expect((await notificationsOf({ userId: admin.id }, n.id)).map((x) => x.kind)).toEqual(['notice.signed']);
  });

  it('a notification failing to be written rolls the step back with it', async () => {
    const n = await issue();
    // Break the notifications table for this one write: rename is dialect-neutral.
    await env().db.kysely.schema.alterTable('notifications').renameTo('notifications_away').execute();
    try {
      const res = await step(reporterA.cookie, n.id, 'sign', { version: n.version });
      expect(res.statusCode).toBe(500);
    } finally {
      await env().db.kysely.schema.alterTable('notifications_away').renameTo('notifications').execute();
    }
    const row = await env()
      .db.kysely.selectFrom('supervision_notices')
      .select(['state', 'version'])
      .where('id', '=', n.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'issued', version: n.version });
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', n.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['notice.issue']);
  });

  it('flags and filters overdue notices: open and past the deadline, not done ones', async () => {
    const late = await issue({ subject: '逾期测试', severity: 'red' });
    const doneLate = await issue({ subject: '逾期但已办结' });
    await step(reporterA.cookie, doneLate.id, 'sign', { version: 1 });
    await step(reporterA.cookie, doneLate.id, 'finish', { version: 2 });
    const past = addDays(todayUtc(), -3);
    await env()
      .db.kysely.updateTable('supervision_notices')
      .set({ deadline: past })
      .where('id', 'in', [late.id, doneLate.id])
      .execute();
    const one = await call(env().app, admin.cookie, 'GET', `/api/v1/supervision/notices/${late.id}`);
    expect(one.json().isOverdue).toBe(true);
    const two = await call(env().app, admin.cookie, 'GET', `/api/v1/supervision/notices/${doneLate.id}`);
    expect(two.json().isOverdue).toBe(false);
    const list = await call(
      env().app,
      admin.cookie,
      'GET',
      `/api/v1/supervision/notices?overdue=true&unitId=${unitA.id}&pageSize=100`,
    );
    const ids = list.json().items.map((x: { id: string }) => x.id);
    expect(ids).toContain(late.id);
    expect(ids).not.toContain(doneLate.id);
    expect(list.json().items.every((x: { isOverdue: boolean }) => x.isOverdue)).toBe(true);
    const red = await call(
      env().app,
      admin.cookie,
      'GET',
      `/api/v1/supervision/notices?severity=red&pageSize=100`,
    );
    expect(red.json().items.every((x: { severity: string }) => x.severity === 'red')).toBe(true);
    expect(red.json().items.map((x: { id: string }) => x.id)).toContain(late.id);

    // The overdue notice is an alert proposing the next colour; turning it into a notice marks the alert handled.
    const alerts = await call(env().app, admin.cookie, 'GET', '/api/v1/supervision/alerts');
    expect(alerts.statusCode, alerts.body).toBe(200);
    const alert = alerts.json().items.find((a: { key: string }) => a.key === `notice_overdue:${late.id}`);
    expect(alert).toMatchObject({ kind: 'notice_overdue', unitId: unitA.id, noticeId: null });
    expect(alert.proposal.severity).toBe('red');
    expect(alerts.json().items.some((a: { key: string }) => a.key === `notice_overdue:${doneLate.id}`)).toBe(
      false,
    );
    const made = await issue({ ...alert.proposal, unitId: alert.unitId, alertKey: alert.key });
    const again = await call(env().app, admin.cookie, 'GET', '/api/v1/supervision/alerts');
    expect(again.json().items.find((a: { key: string }) => a.key === alert.key).noticeId).toBe(made.id);
  });

  it('validates the link (existing task, indicator, report or cycle), the unit and the deadline', async () => {
    const task = await env()
      .db.kysely.selectFrom('plan_tasks')
      .select(['id', 'path', 'title'])
      .executeTakeFirstOrThrow();
    const linked = await issue({ link: { entityType: 'task', entityId: task.id } });
    const detail = await call(env().app, admin.cookie, 'GET', `/api/v1/supervision/notices/${linked.id}`);
    expect(detail.json().link).toEqual({
      entityType: 'task',
      entityId: task.id,
      label: `${task.path} ${task.title}`,
    });
    for (const entityType of ['task', 'indicator', 'report', 'cycle']) {
      const res = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices', {
        unitId: unitA.id,
        subject: 'x',
        content: 'y',
        severity: 'yellow',
        deadline,
        link: { entityType, entityId: FORGED },
      });
      expect(res.statusCode, entityType).toBe(422);
      expect(res.json().error.code).toBe('NOTICE_LINK_NOT_FOUND');
    }
    const badType = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices', {
      unitId: unitA.id,
      subject: 'x',
      content: 'y',
      severity: 'yellow',
      deadline,
      link: { entityType: 'user', entityId: FORGED },
    });
    expect(badType.statusCode).toBe(400);
    const noUnit = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices', {
      unitId: FORGED,
      subject: 'x',
      content: 'y',
      severity: 'yellow',
      deadline,
    });
    expect(noUnit.statusCode).toBe(404);
    const past = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices', {
      unitId: unitA.id,
      subject: 'x',
      content: 'y',
      severity: 'purple',
      deadline: '2020-01-01',
    });
    expect(past.statusCode).toBe(400);
    const before = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices', {
      unitId: unitA.id,
      subject: 'x',
      content: 'y',
      severity: 'yellow',
      deadline: addDays(todayUtc(), -1),
    });
    expect(before.statusCode).toBe(400);
    expect(before.json().error.message).toContain('办理期限');
  });

  it('the 交办 form finds link targets by name, never by an internal 编号; only admins search', async () => {
    const e = env();
    const search = (cookie: string, type: string, q: string) =>
      call(e.app, cookie, 'GET', `/api/v1/supervision/link-targets?type=${type}&q=${encodeURIComponent(q)}`);
    const tasks = await search(admin.cookie, 'task', '科普基地');
    expect(tasks.statusCode, tasks.body).toBe(200);
    const items = tasks.json().items as { id: string; label: string; context: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(20);
    for (const i of items) expect(i.label).toContain('科普基地');
    // The label found is the label the notice shows once linked.
    const linked = await issue({ link: { entityType: 'task', entityId: items[0]!.id } });
    const detail = await call(e.app, admin.cookie, 'GET', `/api/v1/supervision/notices/${linked.id}`);
    expect(detail.json().link.label).toBe(items[0]!.label);

    const indicators = (await search(admin.cookie, 'indicator', '_')).json().items;
    expect(indicators).toEqual([]); // LIKE metacharacters are literal text
    const rate = (await search(admin.cookie, 'indicator', '具备科学素质')).json().items as {
      label: string;
    }[];
    expect(rate.length).toBeGreaterThan(0);
    for (const i of rate) expect(i.label).toContain('具备科学素质');

    expect((await search(reporterA.cookie, 'task', '科普')).statusCode).toBe(403);
    expect((await search(leader.cookie, 'task', '科普')).statusCode).toBe(403);
    expect((await search(admin.cookie, 'user', '科普')).statusCode).toBe(400);
  });

  it('notifications: the unit sees its own, counts unread, marks read; nobody else can', async () => {
    const n = await issue({ subject: '通知测试' });
    const count = async (cookie: string) =>
      (await call(env().app, cookie, 'GET', '/api/v1/notifications/unread-count')).json().count as number;
    const unreadA = await count(reporterA.cookie);
    expect(unreadA).toBeGreaterThan(0);
    const list = await call(
      env().app,
      reporterA.cookie,
      'GET',
      '/api/v1/notifications?unread=true&pageSize=100',
    );
    const mine = list.json().items.find((x: { link: string }) => x.link === `/supervision/notices/${n.id}`);
    expect(mine).toMatchObject({ kind: 'notice.issued', readAt: null });
    expect(mine.title).toContain('通知测试');
    // Unit B cannot see nor mark unit A's notification.
    const listB = await call(env().app, reporterB.cookie, 'GET', '/api/v1/notifications?pageSize=100');
    expect(listB.json().items.some((x: { id: string }) => x.id === mine.id)).toBe(false);
    const markB = await call(env().app, reporterB.cookie, 'POST', '/api/v1/notifications/read', {
      ids: [mine.id],
    });
    expect(markB.json().updated).toBe(0);
    const mark = await call(env().app, reporterA.cookie, 'POST', '/api/v1/notifications/read', {
      ids: [mine.id],
    });
    expect(mark.json().updated).toBe(1);
    expect(await count(reporterA.cookie)).toBe(unreadA - 1);
    const all = await call(env().app, reporterA.cookie, 'POST', '/api/v1/notifications/read', { all: true });
    expect(all.statusCode).toBe(200);
    expect(await count(reporterA.cookie)).toBe(0);
    const empty = await call(env().app, reporterA.cookie, 'POST', '/api/v1/notifications/read', {});
    expect(empty.statusCode).toBe(400);
    expect((await call(env().app, null, 'GET', '/api/v1/notifications/unread-count')).statusCode).toBe(401);
  });

  it('alerts: overdue reports and red indicators of a plan, each turned into a pre-filled notice', async () => {
    const e = env();
    const leadUnit = await e.makeUnit();
    const coUnit = await e.makeUnit();
    const lead = await e.makeUser('reporter', { unitId: leadUnit.id });
    const t = (path: string, depth: number, title: string, units: unknown[], targets: unknown[]) => ({
      path,
      label: path,
      kind: depth === 1 ? 'part' : 'item',
      depth,
      title,
      units,
      targets,
      spans: null,
    });
    const imported = await call(e.app, admin.cookie, 'POST', '/api/v1/plans/import', {
      draft: {
        title: `督办测试规划${Math.random()}`,
        issuer: null,
        docNumber: null,
        date: '2022-05-13',
        fileName: null,
        sourceText: '测试',
        tasks: [
          t('1', 1, '青少年科学素质提升行动', [], []),
          t(
            '1.1',
            2,
            '创建科学教育示范学校',
            [
              { name: leadUnit.name, role: 'lead' },
              { name: coUnit.name, role: 'co' },
            ],
            [
              {
                text: '到2025年底创建15所示范学校',
                value: 15,
                unit: '所',
                comparator: '>=',
                period: null,
                deadline: '2025-12-31',
              },
            ],
          ),
        ],
        baselines: [],
        warnings: [],
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const planId = imported.json().plan.id;
    const cycle = await call(e.app, admin.cookie, 'POST', '/api/v1/reporting/cycles', {
      planId,
      name: '2025年度',
      frequency: 'yearly',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      dueDate: '2026-01-15',
      graceDays: 5,
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
    const cycleId = cycle.json().id;
    // The lead unit reports 3 of 15 schools (red) and is approved; the co-operating unit never reports.
    const tree = (await call(e.app, admin.cookie, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    const t11 = tree.tasks.find((x: { path: string }) => x.path === '1.1');
    const opened = await call(e.app, lead.cookie, 'POST', '/api/v1/reports', { cycleId, taskId: t11.id });
    expect(opened.statusCode, opened.body).toBe(200);
    const saved = await call(e.app, lead.cookie, 'PATCH', `/api/v1/reports/${opened.json().id}`, {
      progress: 'behind',
      values: [{ indicatorId: t11.indicators[0].id, countyId: null, value: 3, note: '用地未落实' }],
      version: opened.json().version,
    });
    const submitted = await call(e.app, lead.cookie, 'POST', `/api/v1/reports/${opened.json().id}/submit`, {
      version: saved.json().version,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await call(e.app, admin.cookie, 'POST', `/api/v1/reports/${opened.json().id}/approve`, {
      version: submitted.json().version,
    });
    expect(approved.statusCode, approved.body).toBe(200);

    const res = await call(e.app, admin.cookie, 'GET', '/api/v1/supervision/alerts');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().failedSources).toEqual([]);
    const items = res.json().items as {
      key: string;
      kind: string;
      unitId: string;
      proposal: { severity: string; link: { entityType: string; entityId: string } | null; deadline: string };
    }[];
    const overdue = items.filter((a) => a.kind === 'report_overdue' && a.key.includes(cycleId));
    // Past 2026-01-20 only the co-operating unit is missing its report (parent task 1 has no units).
    expect(overdue.map((a) => a.unitId)).toEqual([coUnit.id]);
    expect(overdue[0]?.proposal.link).toEqual({ entityType: 'cycle', entityId: cycleId, label: '2025年度' });
    const red = items.filter(
      (a) => a.kind === 'indicator_red' && a.proposal.link?.entityId === t11.indicators[0].id,
    );
    expect(red.map((a) => a.unitId)).toEqual([leadUnit.id]);
    expect(red[0]?.proposal.severity).toBe('orange');
    // 转为督办: the proposal is a valid notice body as it stands.
    const alert = red[0]!;
    const made = await call(e.app, admin.cookie, 'POST', '/api/v1/supervision/notices', {
      ...alert.proposal,
      subject: (alert as unknown as { proposal: { subject: string } }).proposal.subject,
      unitId: alert.unitId,
      alertKey: alert.key,
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().link.entityType).toBe('indicator');
    // Leaders read alerts; reporters do not.
    expect((await call(e.app, leader.cookie, 'GET', '/api/v1/supervision/alerts')).statusCode).toBe(200);
    expect((await call(e.app, lead.cookie, 'GET', '/api/v1/supervision/alerts')).statusCode).toBe(403);
  });

  it('turns a selection of alerts into notices at once; gone or handled alerts are skipped with the reason', async () => {
    const a = await issue({ subject: '批量预警一' });
    const b = await issue({ subject: '批量预警二' });
    await env()
      .db.kysely.updateTable('supervision_notices')
      .set({ deadline: addDays(todayUtc(), -2) })
      .where('id', 'in', [a.id, b.id])
      .execute();
    const keys = [`notice_overdue:${a.id}`, `notice_overdue:${b.id}`];
    const body = { alertKeys: [...keys, 'notice_overdue:gone', keys[0]] };
    expect(
      (await call(env().app, reporterA.cookie, 'POST', '/api/v1/supervision/notices/from-alerts', body))
        .statusCode,
    ).toBe(403);
    const res = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices/from-alerts', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created.map((c: { alertKey: string }) => c.alertKey)).toEqual(keys);
    expect(res.json().skipped).toEqual([
      { alertKey: 'notice_overdue:gone', reason: expect.stringContaining('不存在') },
    ]);
    const alerts = (await call(env().app, admin.cookie, 'GET', '/api/v1/supervision/alerts')).json();
    for (const c of res.json().created as { alertKey: string; noticeId: string }[]) {
      expect(alerts.items.find((x: { key: string }) => x.key === c.alertKey).noticeId).toBe(c.noticeId);
      const n = await call(env().app, admin.cookie, 'GET', `/api/v1/supervision/notices/${c.noticeId}`);
      expect(n.json()).toMatchObject({ state: 'issued', unitId: unitA.id, severity: 'orange' });
    }
    const again = await call(env().app, admin.cookie, 'POST', '/api/v1/supervision/notices/from-alerts', {
      alertKeys: keys,
    });
    expect(again.json().created).toEqual([]);
    expect(again.json().skipped.map((x: { reason: string }) => x.reason)).toEqual([
      '已转为督办，尚未办结',
      '已转为督办，尚未办结',
    ]);
  });
});
