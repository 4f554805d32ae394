import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { countyAdmin } from '../../test/jurisdictions-factory';
import { samplePlanId, typedIndicators } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';

/**
 * A county runs its own plan: its admin opens a cycle on the county's 实施方案, a county unit reports, the county admin
 * reviews it and sees it on the county's dashboard; another county and the city's admin cannot run or review it,
 * and another county cannot read it.
 */
describeEachDialect('a county reporting on its own plan', (env) => {
  let city = '';
  let adminA = '';
  let adminB = '';
  let clerkA = '';
  let planA = '';
  let cycleA = '';
  let unitA = '';

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    const countyA = await countyAdmin(e, city, '睢宁县');
    const a = countyA.jurisdictionId;
    adminA = countyA.cookie;
    adminB = (await countyAdmin(e, city, '新沂市')).cookie;
    const units: string[] = [];
    for (const name of ['睢宁县教育局', '睢宁县科学技术协会']) {
      const r = await call(e.app, adminA, 'POST', '/api/v1/units', {
        kind: 'department',
        name,
        shortName: name,
        aliases: [],
      });
      expect(r.statusCode, r.body).toBe(201);
      units.push(r.json().id);
    }
    unitA = units[0]!;
    clerkA = (await e.makeUser('reporter', { unitId: unitA, jurisdictionId: a })).cookie;
    const plan = await call(e.app, adminA, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft(
        { name: '睢宁县教育局' },
        { name: '睢宁县科学技术协会' },
        '睢宁县实施方案',
      ),
    });
    expect(plan.statusCode, plan.body).toBe(201);
    // Reported values are what this suite checks; registry-bound targets: plans/indicator-bindings.test.ts.
    await typedIndicators(e.db.kysely);
    planA = plan.json().plan.id;
  });

  const cycleBody = () => ({
    planId: planA,
    name: '2025年度',
    frequency: 'yearly',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    dueDate: '2099-01-15',
  });

  it("lets only the county's admin open a cycle on the county's plan", async () => {
    const app = env().app;
    expect((await call(app, adminB, 'POST', '/api/v1/reporting/cycles', cycleBody())).statusCode).toBe(403);
    expect((await call(app, city, 'POST', '/api/v1/reporting/cycles', cycleBody())).statusCode).toBe(403);
    const made = await call(app, adminA, 'POST', '/api/v1/reporting/cycles', cycleBody());
    expect(made.statusCode, made.body).toBe(201);
    cycleA = made.json().id;
    const listOf = async (cookie: string) =>
      ((await call(app, cookie, 'GET', '/api/v1/reporting/cycles')).json().items as { id: string }[]).map(
        (c) => c.id,
      );
    expect(await listOf(adminA)).toEqual([cycleA]);
    expect(await listOf(adminB)).toEqual([]);
    expect(await listOf(city)).toContain(cycleA);
    const rename = await call(app, city, 'PATCH', `/api/v1/reporting/cycles/${cycleA}`, {
      name: '越权',
      version: 1,
    });
    expect(rename.statusCode, rename.body).toBe(403);
  });

  it('has the county unit report and the county admin review; the county dashboard shows it', async () => {
    const app = env().app;
    const inbox = (await call(app, clerkA, 'GET', '/api/v1/reporting/inbox')).json();
    const item = inbox.items.find((i: { cycle: { id: string } }) => i.cycle.id === cycleA);
    expect(item).toBeDefined();
    const opened = await call(app, clerkA, 'POST', '/api/v1/reports', {
      cycleId: cycleA,
      taskId: item.taskId,
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const report = opened.json();
    const indicatorId = report.indicators[0].id as string;
    const saved = await call(app, clerkA, 'PATCH', `/api/v1/reports/${report.id}`, {
      progress: 'in_progress',
      narrative: '全县已创建15所示范学校',
      values: [{ indicatorId, countyId: null, value: 15 }],
      version: report.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const sub = await call(app, clerkA, 'POST', `/api/v1/reports/${report.id}/submit`, {
      version: saved.json().version,
    });
    expect(sub.statusCode, sub.body).toBe(200);
    const v = sub.json().version;

    // The county's own inbox view and report are open to its admin; not to another county's.
    expect((await call(app, adminA, 'GET', `/api/v1/reporting/inbox?unitId=${unitA}`)).statusCode).toBe(200);
    expect((await call(app, adminB, 'GET', `/api/v1/reports/${report.id}`)).statusCode).toBe(403);
    expect((await call(app, adminA, 'GET', `/api/v1/reports/${report.id}`)).json().can.review).toBe(true);
    // Only the county's admin reviews it.
    expect(
      (await call(app, city, 'POST', `/api/v1/reports/${report.id}/approve`, { version: v })).statusCode,
    ).toBe(403);
    const ok = await call(app, adminA, 'POST', `/api/v1/reports/${report.id}/approve`, {
      version: v,
      comment: '同意',
    });
    expect(ok.statusCode, ok.body).toBe(200);

    // The county's dashboard (its own plan by default) counts the approved value; another county cannot read it.
    const overview = await call(app, adminA, 'GET', '/api/v1/dashboards/overview');
    expect(overview.statusCode, overview.body).toBe(200);
    expect(overview.json().planId).toBe(planA);
    expect(overview.json().summary.counts.no_data).toBeLessThan(overview.json().summary.indicatorTotal);
    expect((await call(app, adminB, 'GET', `/api/v1/dashboards/overview?planId=${planA}`)).statusCode).toBe(
      404,
    );
    expect((await call(app, adminB, 'GET', `/api/v1/indicator-status?planId=${planA}`)).statusCode).toBe(404);
    expect((await call(app, city, 'GET', `/api/v1/indicator-status?planId=${planA}`)).statusCode).toBe(200);

    // The city's 县区对比: the county judged on its own plan and ranked; a county without a plan is shown, unranked.
    const cityPlan = await samplePlanId(env().db.kysely);
    const cityRes = await call(app, city, 'GET', `/api/v1/dashboards/overview?planId=${cityPlan}`);
    expect(cityRes.statusCode, cityRes.body.slice(0, 300)).toBe(200);
    const cityView = cityRes.json();
    const rows = cityView.children.rows as {
      name: string;
      planId: string | null;
      progress: number | null;
      onTimeRate: number | null;
      rank: number | null;
      counts: { green: number; red: number; yellow: number; no_data: number };
    }[];
    const mine = rows.find((r) => r.name === '睢宁县')!;
    expect(mine.planId).toBe(planA);
    expect(mine.progress).toBe(overview.json().summary.overallProgress);
    expect(mine.onTimeRate).toBe(1);
    expect(mine.rank).toBe(1);
    expect(rows.find((r) => r.name === '丰县')).toMatchObject({ planId: null, progress: null, rank: null });
    expect(cityView.children.method).toMatch(/完成度/);
  });

  it("has a county report its coverage as the county's own figure, judged against the county's residents", async () => {
    const app = env().app;
    const inbox = (await call(app, clerkA, 'GET', '/api/v1/reporting/inbox')).json();
    const item = inbox.items.find(
      (i: { cycle: { id: string }; taskTitle: string }) =>
        i.cycle.id === cycleA && i.taskTitle === '科普活动覆盖',
    );
    expect(item).toBeDefined();
    const opened = await call(app, clerkA, 'POST', '/api/v1/reports', {
      cycleId: cycleA,
      taskId: item.taskId,
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const report = opened.json();
    // The county's plan has no counties below it: one value, the county's (全县), not one per city county.
    expect(report.totalLabel).toBe('全县');
    expect(report.indicators[0]).toMatchObject({
      kind: 'population_share',
      breakdownByCounty: false,
      counties: [],
    });
    const saved = await call(app, clerkA, 'PATCH', `/api/v1/reports/${report.id}`, {
      progress: 'in_progress',
      narrative: '全年开展科普活动',
      values: [{ indicatorId: report.indicators[0].id, countyId: null, value: 1000, note: '人口数据待录入' }],
      version: report.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
  });

  it("publishes each level's dashboard by its own office; the public reads a county's published page only", async () => {
    const app = env().app;
    const publish = (cookie: string) =>
      call(app, cookie, 'POST', '/api/v1/dashboards/snapshots', { cycleId: cycleA });
    expect((await publish(city)).statusCode).toBe(403);
    expect([403, 404]).toContain((await publish(adminB)).statusCode);
    const made = await publish(adminA);
    expect(made.statusCode, made.body).toBe(201);
    const snapshotId = made.json().id as string;
    const countyId = (await call(app, adminA, 'GET', '/api/v1/auth/me')).json().jurisdictionId as string;

    // The public page of the county lists it; the city's page (another level) does not.
    const ofCounty = await call(app, null, 'GET', `/api/v1/public/dashboards?jurisdictionId=${countyId}`);
    expect(ofCounty.json().items.map((s: { id: string }) => s.id)).toEqual([snapshotId]);
    expect(ofCounty.json().items[0]).toMatchObject({ jurisdictionName: '睢宁县', jurisdictionDepth: 1 });
    const cityId = (await call(app, city, 'GET', '/api/v1/auth/me')).json().jurisdictionId as string;
    const ofCity = await call(app, null, 'GET', `/api/v1/public/dashboards?jurisdictionId=${cityId}`);
    expect(ofCity.json().items.some((s: { id: string }) => s.id === snapshotId)).toBe(false);
    expect((await call(app, null, 'GET', `/api/v1/public/dashboards/${snapshotId}`)).statusCode).toBe(200);

    // Withdrawn by its own office only; then the public cannot read it.
    const unpublish = (cookie: string) =>
      call(app, cookie, 'POST', `/api/v1/dashboards/snapshots/${snapshotId}/unpublish`, {});
    expect((await unpublish(city)).statusCode).toBe(403);
    expect((await unpublish(adminA)).statusCode).toBe(200);
    expect((await call(app, null, 'GET', `/api/v1/public/dashboards/${snapshotId}`)).statusCode).toBe(404);
  });
});
