import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { countyAdmin } from '../../test/jurisdictions-factory';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { samplePlanId } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';

interface Summary {
  applies: boolean;
  jurisdictionName: string | null;
  tasks: { title: string; progress: number | null; indicators: { actual: number | null }[] }[];
  text: string;
}

/**
 * 上报县区汇总: 丰县人民政府 reports to the city on a city task; its report shows 丰县's own linked task judged on the
 * county's plan as of the city cycle's end. A city bureau's report has none; another county cannot read it.
 */
describeEachDialect("a county's report upward carries its own plan's progress", (env) => {
  let city = '';
  let peixian = '';
  let govClerk = '';
  let govReport = '';
  let bureauReport = '';

  const approve = async (admin: string, clerk: string, cycleId: string, taskId: string, value: number) => {
    const app = env().app;
    const opened = (await call(app, clerk, 'POST', '/api/v1/reports', { cycleId, taskId })).json();
    const saved = await call(app, clerk, 'PATCH', `/api/v1/reports/${opened.id}`, {
      progress: 'in_progress',
      narrative: '推进中',
      values: [{ indicatorId: opened.indicators[0].id, countyId: null, value, note: '' }],
      version: opened.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const sub = await call(app, clerk, 'POST', `/api/v1/reports/${opened.id}/submit`, {
      version: saved.json().version,
    });
    expect(sub.statusCode, sub.body).toBe(200);
    const ok = await call(app, admin, 'POST', `/api/v1/reports/${opened.id}/approve`, {
      version: sub.json().version,
      comment: '同意',
    });
    expect(ok.statusCode, ok.body).toBe(200);
  };
  const yearCycle = async (admin: string, planId: string) => {
    const r = await call(env().app, admin, 'POST', '/api/v1/reporting/cycles', {
      planId,
      name: '2025年度',
      frequency: 'yearly',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      dueDate: '2099-01-15',
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };

  beforeAll(async () => {
    const e = env();
    const app = e.app;
    city = (await e.makeUser('admin')).cookie;
    const fx = await countyAdmin(e, city, '丰县');
    peixian = (await countyAdmin(e, city, '沛县')).cookie;
    const places = (await call(app, city, 'GET', '/api/v1/jurisdictions')).json().items as {
      name: string;
      governmentUnitId: string;
    }[];
    const govUnit = places.find((j) => j.name === '丰县')!.governmentUnitId;

    // A city task with 丰县人民政府 among its units, and a city bureau leading it.
    const planId = await samplePlanId(e.db.kysely);
    const tree = (await call(app, city, 'GET', `/api/v1/plans/${planId}/tree`)).json().tasks as {
      id: string;
      depth: number;
      version: number;
      units: { unitId: string; role: 'lead' | 'co' }[];
    }[];
    const cityTask = tree.find((t) => t.depth >= 2 && t.units.some((u) => u.role === 'lead'))!;
    const bureau = cityTask.units.find((u) => u.role === 'lead')!.unitId;
    const patched = await call(app, city, 'PATCH', `/api/v1/plan-tasks/${cityTask.id}`, {
      units: [...cityTask.units, { unitId: govUnit, role: 'co' }],
      version: cityTask.version,
    });
    expect(patched.statusCode, patched.body).toBe(200);

    // 丰县's own plan, its task 1.1 linked to the city task, reported and approved in the county's 2025 cycle.
    const unit = await call(app, fx.cookie, 'POST', '/api/v1/units', {
      kind: 'department',
      name: '丰县教育局',
      shortName: '丰县教育局',
      aliases: [],
    });
    const imported = await call(app, fx.cookie, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft({ name: '丰县教育局' }, { name: '丰县教育局' }, '丰县实施方案'),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const countyPlan = imported.json().plan.id as string;
    const countyTasks = (await call(app, fx.cookie, 'GET', `/api/v1/plans/${countyPlan}/tree`)).json()
      .tasks as { id: string; path: string }[];
    const t11 = countyTasks.find((t) => t.path === '1.1')!;
    const linked = await call(app, fx.cookie, 'PUT', `/api/v1/plan-tasks/${t11.id}/links`, {
      targetTaskIds: [cityTask.id],
    });
    expect(linked.statusCode, linked.body).toBe(200);
    const countyClerk = (
      await e.makeUser('reporter', { unitId: unit.json().id, jurisdictionId: fx.jurisdictionId })
    ).cookie;
    await approve(fx.cookie, countyClerk, await yearCycle(fx.cookie, countyPlan), t11.id, 15);

    // The city's 2025 cycle: 丰县人民政府's report on the city task, and the lead bureau's.
    const cityCycle = await yearCycle(city, planId);
    govClerk = (await e.makeUser('reporter', { unitId: govUnit })).cookie;
    govReport = (
      await call(app, govClerk, 'POST', '/api/v1/reports', { cycleId: cityCycle, taskId: cityTask.id })
    ).json().id;
    const bureauClerk = (await e.makeUser('reporter', { unitId: bureau })).cookie;
    bureauReport = (
      await call(app, bureauClerk, 'POST', '/api/v1/reports', { cycleId: cityCycle, taskId: cityTask.id })
    ).json().id;
  });

  it("shows the county's linked task as judged on the county's plan at the city cycle's end", async () => {
    const r = await call(env().app, govClerk, 'GET', `/api/v1/reports/${govReport}/county-summary`);
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json() as Summary;
    expect(s.applies).toBe(true);
    expect(s.jurisdictionName).toBe('丰县');
    expect(s.tasks.map((t) => t.title)).toEqual(['创建科学教育示范学校']);
    expect(s.tasks[0]!.indicators[0]!.actual).toBe(15);
    expect(s.tasks[0]!.progress).toBe(1);
    expect(s.text).toMatch(/^丰县对接本任务的县级任务 1 项，截至 2025-12-31 平均完成度100\.0%/);
    // The city's office reads it too.
    expect(
      (await call(env().app, city, 'GET', `/api/v1/reports/${govReport}/county-summary`)).statusCode,
    ).toBe(200);
  });

  it("has none for a city bureau's report, and refuses another county", async () => {
    const b = (await call(env().app, city, 'GET', `/api/v1/reports/${bureauReport}/county-summary`)).json();
    expect(b).toMatchObject({ applies: false, tasks: [] });
    expect(
      (await call(env().app, peixian, 'GET', `/api/v1/reports/${govReport}/county-summary`)).statusCode,
    ).toBe(403);
  });
});
