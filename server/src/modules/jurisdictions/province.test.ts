import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { underProvince } from '../../test/jurisdictions-factory';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { samplePlanId } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';

type Actor = 'province' | 'xuzhou' | 'suqian' | 'fengxian';

/**
 * Three levels with the same code: 江苏省 hosting 徐州市 (with its counties) and 宿迁市. Each office reads its subtree,
 * the province's dashboard compares its cities on their own plans, the province assigns a count down to its cities,
 * and 徐州市's plan links to the province's.
 */
describeEachDialect('a province hosting its cities, each with counties', (env) => {
  const cookie: Partial<Record<Actor, string>> = {};
  let ids = new Map<string, string>();
  let provincePlan = '';
  let cityPlan = '';

  beforeAll(async () => {
    const e = env();
    ids = await underProvince(e);
    cookie.province = (await e.makeUser('admin', { jurisdictionId: ids.get('江苏省')! })).cookie;
    cookie.xuzhou = (await e.makeUser('admin', { jurisdictionId: ids.get('徐州市')! })).cookie;
    cookie.suqian = (await e.makeUser('admin', { jurisdictionId: ids.get('宿迁市')! })).cookie;
    cookie.fengxian = (await e.makeUser('admin', { jurisdictionId: ids.get('丰县')! })).cookie;
    cityPlan = await samplePlanId(e.db.kysely);
    const unit = await call(e.app, cookie.province, 'POST', '/api/v1/units', {
      kind: 'department',
      name: '江苏省教育厅',
      shortName: '省教育厅',
      aliases: [],
    });
    expect(unit.statusCode, unit.body).toBe(201);
    const plan = await call(e.app, cookie.province, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft(
        { name: '江苏省教育厅' },
        { name: '江苏省教育厅' },
        '江苏省全民科学素质行动规划',
      ),
    });
    expect(plan.statusCode, plan.body).toBe(201);
    provincePlan = plan.json().plan.id;
    const cycle = await call(e.app, cookie.province, 'POST', '/api/v1/reporting/cycles', {
      planId: provincePlan,
      name: '2025年度',
      frequency: 'yearly',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      dueDate: '2099-01-15',
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
  });

  it('lets each office read its own subtree of places and plans, and nothing beside or above it', async () => {
    const app = env().app;
    const places = async (who: Actor) =>
      (
        (await call(app, cookie[who]!, 'GET', '/api/v1/jurisdictions')).json().items as { name: string }[]
      ).map((j) => j.name);
    const plans = async (who: Actor) =>
      ((await call(app, cookie[who]!, 'GET', '/api/v1/plans')).json().items as { id: string }[]).map(
        (p) => p.id,
      );
    const rows: [Actor, string[], string[], string[], string[]][] = [
      // who, places seen, places not seen, plans seen, plans not seen
      ['province', ['江苏省', '徐州市', '宿迁市', '丰县'], [], [provincePlan, cityPlan], []],
      ['xuzhou', ['徐州市', '丰县'], ['江苏省', '宿迁市'], [cityPlan], [provincePlan]],
      ['suqian', ['宿迁市'], ['江苏省', '徐州市', '丰县'], [], [provincePlan, cityPlan]],
      ['fengxian', ['丰县'], ['徐州市', '宿迁市', '沛县'], [], [provincePlan, cityPlan]],
    ];
    for (const [who, sees, notSees, plansSeen, plansNot] of rows) {
      const p = await places(who);
      for (const n of sees) expect(p, `${who} sees ${n}`).toContain(n);
      for (const n of notSees) expect(p, `${who} does not see ${n}`).not.toContain(n);
      const q = await plans(who);
      for (const id of plansSeen) expect(q, `${who} lists plan`).toContain(id);
      for (const id of plansNot) expect(q, `${who} does not list plan`).not.toContain(id);
    }
    expect(
      (await call(app, cookie.xuzhou!, 'GET', `/api/v1/dashboards/overview?planId=${provincePlan}`))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(app, cookie.suqian!, 'GET', `/api/v1/dashboards/overview?planId=${cityPlan}`)).statusCode,
    ).toBe(404);
  });

  it("compares the province's cities on their own plans, and the city's counties on theirs", async () => {
    const app = env().app;
    const province = (await call(app, cookie.province!, 'GET', '/api/v1/dashboards/overview')).json();
    expect(province.planId).toBe(provincePlan);
    const rows = province.children.rows as { name: string; planId: string | null }[];
    expect(rows.map((r) => r.name)).toEqual(['徐州市', '宿迁市']);
    expect(rows[0]!.planId).toBe(cityPlan);
    expect(rows[1]!.planId).toBeNull();
    const city = (
      await call(app, cookie.xuzhou!, 'GET', `/api/v1/dashboards/overview?planId=${cityPlan}`)
    ).json();
    const counties = (city.children.rows as { name: string }[]).map((r) => r.name);
    expect(counties).toContain('丰县');
    expect(counties).not.toContain('宿迁市');
  });

  it('assigns a province count down to its cities, and links the city plan to the province plan', async () => {
    const app = env().app;
    const status = (
      await call(app, cookie.province!, 'GET', `/api/v1/indicator-status?planId=${provincePlan}`)
    ).json();
    const count = (status.indicators as { indicatorId: string; kind: string; target: number }[]).find(
      (i) => i.kind === 'cumulative',
    )!;
    const r = await call(app, cookie.province!, 'PUT', `/api/v1/indicators/${count.indicatorId}/allocation`, {
      mode: 'quota',
      quotas: [
        { jurisdictionId: ids.get('徐州市')!, targetValue: 10 },
        { jurisdictionId: ids.get('宿迁市')!, targetValue: count.target - 10 },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
    const byName = new Map(
      (r.json().counties as { name: string; countyTaskId: string | null; target: number }[]).map((c) => [
        c.name,
        c,
      ]),
    );
    expect(byName.get('徐州市')!.countyTaskId).not.toBeNull();
    expect(byName.get('宿迁市')!.countyTaskId).toBeNull();
    // The city cannot assign the province's indicator, nor a county the city's.
    const again = await call(
      app,
      cookie.xuzhou!,
      'PUT',
      `/api/v1/indicators/${count.indicatorId}/allocation`,
      {
        mode: 'quota',
        quotas: [{ jurisdictionId: ids.get('徐州市')!, targetValue: count.target }],
      },
    );
    expect(again.statusCode).toBe(403);

    const links = (await call(app, cookie.xuzhou!, 'GET', `/api/v1/plans/${cityPlan}/links`)).json();
    expect(links.parentPlan.id).toBe(provincePlan);
    const assigned = (links.tasks as { taskId: string; links: { reasons: string[] }[] }[]).find(
      (t) => t.taskId === byName.get('徐州市')!.countyTaskId,
    );
    expect(assigned?.links[0]?.reasons).toContain('上级分解下达');
  });
});
