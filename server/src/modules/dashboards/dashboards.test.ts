import type { Drill, Overview } from '@kesu/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../ids';
import { describeEachDialect } from '../../test/env';
import { typedIndicators } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';

/**
 * The city overview, its drill-downs and the published snapshots over HTTP on a real database, from a small
 * hand-made plan and set of reports whose every number can be checked by hand:
 *
 * plan 三 重点任务 → 3.1 青少年行动 { 3.1.1 schools ≥15 by 2025 (A lead, B co); 3.1.2 coverage ≥80% of county
 * population, yearly (A) } · 3.2 农民行动 { 3.2.1 farmers 12000 a year (B) } · 3.3 基础设施工程 { 3.3.1 bases ≥30
 * by 2025 (B) }. Cycle 2024年度, due 2025-01-15 + 5 grace days → late after 2025-01-20.
 *
 * Reports: A/3.1.1 = 15, approved, first submitted 2025-01-10 (on time) → green, progress 1 · A/3.1.2 = 900 of 1000
 * in county C1 (90%) and 100 of 1000 in C2 (10%), approved, submitted now (late) → city light = worst county = red ·
 * B/3.1.1 = 20, submitted only (2025-01-18, on time) — never counted · B/3.2.1 = 3000, approved, first submitted
 * 2025-01-25 (late) → red, progress 0.25 · B/3.3.1 = 30 left a draft (missing) → no data.
 */
describeEachDialect('dashboards', (env) => {
  let admin = '';
  let leader = '';
  let reporterA = '';
  let reporterB = '';
  let unitA = { id: '', name: '' };
  let unitB = { id: '', name: '' };
  let c1 = { id: '', name: '' };
  let c2 = { id: '', name: '' };
  let planId = '';
  let cycleId = '';
  const task: Record<string, string> = {};
  const ind: Record<string, string> = {};
  const rep: Record<string, string> = {};

  const t = (
    path: string,
    depth: number,
    title: string,
    units: [string, 'lead' | 'co'][],
    targets: unknown[],
  ) => ({
    path,
    label: path,
    kind: depth === 1 ? 'part' : 'item',
    depth,
    title,
    units: units.map(([name, role]) => ({ name, role })),
    targets,
    spans: null,
  });
  const target = (
    text: string,
    value: number,
    unit: string,
    period: 'year' | null,
    deadline: string | null,
  ) => ({
    text,
    value,
    unit,
    comparator: '>=',
    period,
    deadline,
  });

  beforeAll(async () => {
    const e = env();
    const app = e.app;
    unitA = await e.makeUnit();
    unitB = await e.makeUnit();
    c1 = await e.makeUnit({ kind: 'county', sortOrder: 1 });
    c2 = await e.makeUnit({ kind: 'county', sortOrder: 2 });
    admin = (await e.makeUser('admin')).cookie;
    leader = (await e.makeUser('leader')).cookie;
    reporterA = (await e.makeUser('reporter', { unitId: unitA.id })).cookie;
    reporterB = (await e.makeUser('reporter', { unitId: unitB.id })).cookie;
    const short = async (id: string) =>
      (
        await e.db.kysely
          .selectFrom('units')
          .select('short_name')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).short_name;
    for (const c of [c1, c2]) {
      await e.db.kysely
        .insertInto('population_margins')
        .values({
          id: newId(),
          year: 2024,
          dimension: 'county',
          level: await short(c.id),
          population: 1000,
          source: '测试',
          sort_order: 0,
          updated_by: null,
          updated_at: nowIso(),
        })
        .execute();
    }

    const imported = await call(app, admin, 'POST', '/api/v1/plans/import', {
      draft: {
        title: `看板测试规划${Math.random()}`,
        issuer: null,
        docNumber: null,
        date: '2022-05-13',
        fileName: null,
        sourceText: '测试',
        tasks: [
          t('3', 1, '重点任务', [], []),
          t('3.1', 2, '实施青少年科学素质提升行动', [], []),
          t(
            '3.1.1',
            3,
            '创建科学教育示范学校',
            [
              [unitA.name, 'lead'],
              [unitB.name, 'co'],
            ],
            [target('到2025年底创建15所示范学校', 15, '所', null, '2025-12-31')],
          ),
          t(
            '3.1.2',
            3,
            '科普活动覆盖',
            [[unitA.name, 'lead']],
            [target('年科普活动覆盖面达到县域常住人口的80%以上', 80, '%', 'year', null)],
          ),
          t('3.2', 2, '实施农民科学素质提升行动', [], []),
          t(
            '3.2.1',
            3,
            '培育高素质农民',
            [[unitB.name, 'lead']],
            [target('每年培育高素质农民1.2万名', 12000, '名', 'year', null)],
          ),
          t('3.3', 2, '实施科普基础设施工程', [], []),
          t(
            '3.3.1',
            3,
            '建设科普教育基地',
            [[unitB.name, 'lead']],
            [target('到2025年底新评定市级科普教育基地30家', 30, '家', null, '2025-12-31')],
          ),
        ],
        baselines: [],
        warnings: [],
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    planId = imported.json().plan.id;
    // Reported values, not registry queries, are what this suite computes by hand.
    await typedIndicators(e.db.kysely);
    const tree = (await call(app, admin, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    for (const x of tree.tasks as { id: string; path: string; indicators: { id: string }[] }[]) {
      task[x.path] = x.id;
      if (x.indicators[0]) ind[x.path] = x.indicators[0].id;
    }
    const cycle = await call(app, admin, 'POST', '/api/v1/reporting/cycles', {
      planId,
      name: '2024年度',
      frequency: 'yearly',
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      dueDate: '2025-01-15',
      graceDays: 5,
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
    cycleId = cycle.json().id;

    /** Open, fill and (optionally) submit / approve a report; returns its id. */
    const report = async (
      cookie: string,
      path: string,
      values: { countyId?: string; value: number }[],
      upTo: 'draft' | 'submitted' | 'approved',
    ) => {
      const opened = await call(app, cookie, 'POST', '/api/v1/reports', { cycleId, taskId: task[path] });
      expect(opened.statusCode, opened.body).toBe(200);
      const saved = await call(app, cookie, 'PATCH', `/api/v1/reports/${opened.json().id}`, {
        progress: 'in_progress',
        narrative: '测试',
        values: values.map((v) => ({
          indicatorId: ind[path],
          countyId: v.countyId ?? null,
          value: v.value,
          note: '已说明原因',
        })),
        version: opened.json().version,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      let version = saved.json().version;
      if (upTo !== 'draft') {
        const sub = await call(app, cookie, 'POST', `/api/v1/reports/${opened.json().id}/submit`, {
          version,
        });
        expect(sub.statusCode, sub.body).toBe(200);
        version = sub.json().version;
      }
      if (upTo === 'approved') {
        const ok = await call(app, admin, 'POST', `/api/v1/reports/${opened.json().id}/approve`, { version });
        expect(ok.statusCode, ok.body).toBe(200);
      }
      return opened.json().id as string;
    };
    rep.a311 = await report(reporterA, '3.1.1', [{ value: 15 }], 'approved');
    rep.a312 = await report(
      reporterA,
      '3.1.2',
      [
        { countyId: c1.id, value: 900 },
        { countyId: c2.id, value: 100 },
      ],
      'approved',
    );
    rep.b311 = await report(reporterB, '3.1.1', [{ value: 20 }], 'submitted');
    rep.b321 = await report(reporterB, '3.2.1', [{ value: 3000 }], 'approved');
    rep.b331 = await report(reporterB, '3.3.1', [{ value: 30 }], 'draft');
    // First submissions as the units made them (the API stamps "now"): on time, on time, late.
    const backdate = (id: string, at: string) =>
      e.db.kysely
        .updateTable('report_events')
        .set({ at })
        .where('report_id', '=', id)
        .where('action', '=', 'submit')
        .execute();
    await backdate(rep.a311!, '2025-01-10T02:00:00.000Z');
    await backdate(rep.b311!, '2025-01-18T02:00:00.000Z');
    await backdate(rep.b321!, '2025-01-25T02:00:00.000Z');
  });

  const overview = async (cookie: string | null, q = `cycleId=${cycleId}`) => {
    const res = await call(env().app, cookie, 'GET', `/api/v1/dashboards/overview?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Overview;
  };
  const drill = async (cookie: string, q: string) => {
    const res = await call(env().app, cookie, 'GET', `/api/v1/dashboards/drill?cycleId=${cycleId}&${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Drill;
  };
  const reportIds = (d: Drill) => d.reports.map((r) => r.reportId).sort();

  it('computes the overview by hand: lights, groups, key populations, reporting on time, counties', async () => {
    const o = await overview(admin);
    expect(o.cycle).toMatchObject({ id: cycleId, lateAfter: '2025-01-20' });
    expect(o.asOf).toBe('2024-12-31');
    expect(o.counts).toEqual({ green: 1, yellow: 0, red: 2, no_data: 1 });

    expect(o.groups.map((g) => g.path)).toEqual(['3.1', '3.2', '3.3']);
    const [g1, g2, g3] = o.groups;
    expect(g1).toMatchObject({ populationGroup: 'youth', indicatorCount: 2 });
    expect(g1!.counts).toEqual({ green: 1, yellow: 0, red: 1, no_data: 0 });
    expect(g2!.populationGroup).toBe('farmers');
    expect(g2!.progress).toBeCloseTo(0.25, 10);
    expect(g3).toMatchObject({ populationGroup: null, progress: null, indicatorCount: 1 });
    expect(g3!.counts.no_data).toBe(1);

    const pop = Object.fromEntries(o.populations.map((p) => [p.group, p]));
    expect(Object.keys(pop)).toEqual(['youth', 'farmers', 'workers', 'elderly', 'officials']);
    expect(pop.youth!.progress).toBe(g1!.progress);
    expect(pop.farmers!.progress).toBeCloseTo(0.25, 10);
    expect(pop.workers).toMatchObject({ progress: null, indicatorCount: 0, taskIds: [] });

    const byUnit = Object.fromEntries(o.units.map((u) => [u.unitId, u]));
    expect(byUnit[unitA.id]).toMatchObject({
      expected: 2,
      onTime: 1,
      late: 1,
      missing: 0,
      pending: 0,
      onTimeRate: 0.5,
    });
    expect(byUnit[unitB.id]).toMatchObject({ expected: 3, onTime: 1, late: 1, missing: 1, pending: 0 });
    expect(byUnit[unitB.id]!.onTimeRate).toBeCloseTo(1 / 3, 10);
    expect(o.summary).toMatchObject({ reportsExpected: 5, onTime: 2, late: 2, missing: 1, pending: 0 });
    expect(o.summary.redIndicators.map((r) => r.indicatorId).sort()).toEqual(
      [ind['3.1.2'], ind['3.2.1']].sort(),
    );
    expect(o.summary.laggingUnits[0]).toMatchObject({ unitId: unitB.id, missing: 1, late: 1 });

    expect(o.counties.indicators.map((i) => i.indicatorId)).toEqual([ind['3.1.2']]);
    const cells = Object.fromEntries(o.counties.indicators[0]!.cells.map((c) => [c.countyId, c]));
    expect(cells[c1.id]).toMatchObject({ status: 'green' });
    expect(cells[c1.id]!.actual).toBeCloseTo(90, 10);
    expect(cells[c2.id]).toMatchObject({ status: 'red' });
    expect(cells[c2.id]!.actual).toBeCloseTo(10, 10);
    const countyCounts = Object.fromEntries(o.counties.counties.map((c) => [c.id, c.counts]));
    expect(countyCounts[c2.id]).toEqual({ green: 0, yellow: 0, red: 1, no_data: 0 });

    // The same evaluation as the reporting module's indicator status (reused, not re-implemented).
    const status = (
      await call(env().app, admin, 'GET', `/api/v1/indicator-status?planId=${planId}&cycleId=${cycleId}`)
    ).json();
    expect(o.counts).toEqual(status.counts);
  });

  it('drills down to exactly the reports behind a number; never a report that is not approved', async () => {
    const green = await drill(admin, 'kind=status&key=green');
    expect(green.indicators.map((i) => i.indicatorId)).toEqual([ind['3.1.1']]);
    expect(reportIds(green)).toEqual([rep.a311]); // not B's submitted 20
    expect(green.indicators[0]!.actual).toBe(15);

    const red = await drill(admin, 'kind=status&key=red');
    expect(reportIds(red)).toEqual([rep.a312, rep.b321].sort());
    const noData = await drill(admin, 'kind=status&key=no_data');
    expect(noData.indicators.map((i) => i.indicatorId)).toEqual([ind['3.3.1']]);
    expect(noData.reports).toEqual([]); // B's draft of 30 is not behind any number

    const farmers = await drill(admin, `kind=group&key=${task['3.2']}`);
    expect(reportIds(farmers)).toEqual([rep.b321]);
    const youth = await drill(admin, 'kind=population&key=youth');
    expect(reportIds(youth)).toEqual([rep.a311, rep.a312].sort());

    const cell = await drill(admin, `kind=county&key=${ind['3.1.2']}&part=${c2.id}`);
    expect(reportIds(cell)).toEqual([rep.a312]);
    expect(cell.indicators[0]).toMatchObject({ status: 'red' });

    const missing = await drill(admin, `kind=unit&key=${unitB.id}&part=missing`);
    expect(missing.reports).toHaveLength(1);
    expect(missing.reports[0]).toMatchObject({ taskId: task['3.3.1'], reportId: rep.b331, state: 'draft' });
    const late = await drill(admin, `kind=unit&key=${unitB.id}&part=late`);
    expect(late.reports.map((r) => r.taskId)).toEqual([task['3.2.1']]);
    const all = await drill(admin, `kind=unit&key=${unitA.id}`);
    expect(all.reports.map((r) => r.timeliness).sort()).toEqual(['late', 'on_time']);

    const bad = await call(
      env().app,
      admin,
      'GET',
      `/api/v1/dashboards/drill?cycleId=${cycleId}&kind=group&key=${task['3.1.1']}`,
    );
    expect(bad.statusCode).toBe(404);
  });

  it('authorization: everyone signed in reads; a reporter never sees another unit’s reports; the public nothing', async () => {
    const app = env().app;
    expect((await call(app, null, 'GET', `/api/v1/dashboards/overview?cycleId=${cycleId}`)).statusCode).toBe(
      401,
    );
    expect(
      (await call(app, null, 'GET', `/api/v1/dashboards/drill?cycleId=${cycleId}&kind=overall`)).statusCode,
    ).toBe(401);
    const asLeader = await overview(leader);
    const asReporter = await overview(reporterA);
    expect(asLeader.counts).toEqual(asReporter.counts);
    expect(asReporter.units).toEqual(asLeader.units);

    const red = await drill(reporterA, 'kind=status&key=red');
    expect(reportIds(red)).toEqual([rep.a312]);
    expect(red.hiddenCount).toBe(1);
    const otherUnit = await drill(reporterA, `kind=unit&key=${unitB.id}`);
    expect(otherUnit.reports).toEqual([]);
    expect(otherUnit.hiddenCount).toBe(3);
    const own = await drill(reporterB, `kind=unit&key=${unitB.id}&part=missing`);
    expect(own.reports[0]?.reportId).toBe(rep.b331);

    for (const cookie of [reporterA, leader]) {
      expect((await call(app, cookie, 'POST', '/api/v1/dashboards/snapshots', { cycleId })).statusCode).toBe(
        403,
      );
    }
    expect((await call(app, reporterA, 'GET', '/api/v1/dashboards/snapshots')).statusCode).toBe(403);
    expect((await call(app, null, 'POST', '/api/v1/dashboards/snapshots', { cycleId })).statusCode).toBe(401);
  });

  describe('published snapshots', () => {
    let firstId = '';
    it('the public sees nothing until the admin publishes', async () => {
      const app = env().app;
      expect((await call(app, null, 'GET', '/api/v1/public/dashboards')).json().items).toEqual([]);
      const pub = await call(app, admin, 'POST', '/api/v1/dashboards/snapshots', { cycleId });
      expect(pub.statusCode, pub.body).toBe(201);
      firstId = pub.json().id;
      expect(pub.json()).toMatchObject({
        cycleId,
        cycleName: '2024年度',
        isPublished: true,
        unpublishedAt: null,
      });
      expect(pub.json().publishedBy).toBeTruthy();

      const list = (await call(app, null, 'GET', '/api/v1/public/dashboards')).json();
      expect(list.items.map((s: { id: string }) => s.id)).toEqual([firstId]);
      expect(list.items[0]).not.toHaveProperty('publishedBy');
      const snap = await call(app, null, 'GET', `/api/v1/public/dashboards/${firstId}`);
      expect(snap.statusCode).toBe(200);
      expect(snap.json().overview.counts).toEqual({ green: 1, yellow: 0, red: 2, no_data: 1 });
      const audit = await env()
        .db.kysely.selectFrom('audit_log')
        .select(['action', 'actor_name'])
        .where('entity_id', '=', firstId)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['dashboard.publish']);
    });

    it('a snapshot is frozen: later approvals change the live overview, not the published one', async () => {
      const app = env().app;
      const opened = (await call(app, reporterB, 'GET', `/api/v1/reports/${rep.b331}`)).json();
      const sub = await call(app, reporterB, 'POST', `/api/v1/reports/${rep.b331}/submit`, {
        version: opened.version,
      });
      expect(sub.statusCode, sub.body).toBe(200);
      const ok = await call(app, admin, 'POST', `/api/v1/reports/${rep.b331}/approve`, {
        version: sub.json().version,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      // The live overview follows the approval at once (the cache fingerprint changed).
      const live = await overview(admin);
      expect(live.counts).toEqual({ green: 2, yellow: 0, red: 2, no_data: 0 });
      const snap = (await call(app, null, 'GET', `/api/v1/public/dashboards/${firstId}`)).json();
      expect(snap.overview.counts).toEqual({ green: 1, yellow: 0, red: 2, no_data: 1 });
    });

    it('unpublishing hides it from the public and keeps the history; republishing replaces it', async () => {
      const app = env().app;
      const un = await call(app, admin, 'POST', `/api/v1/dashboards/snapshots/${firstId}/unpublish`);
      expect(un.statusCode, un.body).toBe(200);
      expect(un.json()).toMatchObject({ isPublished: false });
      expect(un.json().unpublishedAt).toBeTruthy();
      expect((await call(app, null, 'GET', '/api/v1/public/dashboards')).json().items).toEqual([]);
      expect((await call(app, null, 'GET', `/api/v1/public/dashboards/${firstId}`)).statusCode).toBe(404);
      const again = await call(app, admin, 'POST', `/api/v1/dashboards/snapshots/${firstId}/unpublish`);
      expect(again.json().error.code).toBe('INVALID_STATE');

      const second = (await call(app, admin, 'POST', '/api/v1/dashboards/snapshots', { cycleId })).json();
      const third = (await call(app, admin, 'POST', '/api/v1/dashboards/snapshots', { cycleId })).json();
      const pub = (await call(app, null, 'GET', '/api/v1/public/dashboards')).json().items;
      expect(pub.map((s: { id: string }) => s.id)).toEqual([third.id]);
      expect((await call(app, null, 'GET', `/api/v1/public/dashboards/${second.id}`)).statusCode).toBe(404);
      const latest = (await call(app, null, 'GET', `/api/v1/public/dashboards/${third.id}`)).json();
      expect(latest.overview.counts).toEqual({ green: 2, yellow: 0, red: 2, no_data: 0 });

      const history = (
        await call(app, leader, 'GET', `/api/v1/dashboards/snapshots?cycleId=${cycleId}`)
      ).json();
      expect(history.items.map((s: { id: string; isPublished: boolean }) => [s.id, s.isPublished])).toEqual([
        [third.id, true],
        [second.id, false],
        [firstId, false],
      ]);
      const actions = await env()
        .db.kysely.selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'dashboard_snapshot')
        .orderBy('id')
        .execute();
      expect(actions.map((a) => a.action)).toEqual([
        'dashboard.publish',
        'dashboard.unpublish',
        'dashboard.publish',
        'dashboard.publish',
      ]);
    });
  });
});
