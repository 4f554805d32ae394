import { beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../context';
import { loadDemoData } from '../demo/demo.service';
import { describeEachDialect } from '../../test/env';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { samplePlanId } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';

interface J {
  id: string;
  name: string;
  level: string;
  parentId: string | null;
  depth: number;
  governmentUnitName: string | null;
}

/**
 * Who reads and writes what across jurisdictions (行政区划): a county admin of A never reads or writes county B's
 * units, accounts or plans; the city admin reads the whole subtree and writes only what the city owns (plus the
 * accounts of each county's admins); a county reporter sees only its unit.
 */
describeEachDialect('jurisdictions', (env) => {
  let city = '';
  let adminA = '';
  let adminB = '';
  let cityId = '';
  let countyA = '';
  let countyB = '';
  const ids: Record<string, string> = {};

  const req = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    call(env().app, cookie, method, url, body);

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    cityId = (await jurisdictionIds(e, city)).get('徐州市')!;
    ({ cookie: adminA, jurisdictionId: countyA } = await countyAdmin(e, city, '丰县'));
    ({ cookie: adminB, jurisdictionId: countyB } = await countyAdmin(e, city, '沛县'));

    // County A's own registry, accounts and 实施方案, made by A's admin.
    for (const [key, name] of [
      ['unitA', '丰县教育局'],
      ['unitA2', '丰县科学技术协会'],
    ] as const) {
      const r = await req(adminA, 'POST', '/api/v1/units', {
        kind: 'department',
        name,
        shortName: name.replace('丰县', '县'),
        aliases: [],
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().jurisdictionId).toBe(countyA);
      ids[key] = r.json().id;
    }
    const reporter = await req(adminA, 'POST', '/api/v1/users', {
      username: 'fx_clerk',
      displayName: '丰县填报员',
      role: 'reporter',
      unitId: ids.unitA,
    });
    expect(reporter.statusCode, reporter.body).toBe(201);
    expect(reporter.json().user.jurisdictionId).toBe(countyA);
    ids.reporterA = reporter.json().user.id;
    const plan = await req(adminA, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft({ name: '丰县教育局' }, { name: '丰县科学技术协会' }, '丰县实施方案'),
    });
    expect(plan.statusCode, plan.body).toBe(201);
    ids.planA = plan.json().plan.id;
    ids.versionA = (await req(adminA, 'GET', `/api/v1/plans/${ids.planA}`)).json().versions[0].id;
    expect(plan.json().plan.jurisdictionId).toBe(countyA);
    ids.cityPlan = await samplePlanId(e.db.kysely);
  });

  it('lists the tree: the city with its counties and zones, each county linked to its government unit', async () => {
    const all = (await req(city, 'GET', '/api/v1/jurisdictions')).json().items as J[];
    expect(all[0]).toMatchObject({ name: '徐州市', level: 'city', depth: 0, parentId: null });
    expect(all.filter((j) => j.level === 'county')).toHaveLength(10);
    expect(all.filter((j) => j.level === 'zone')).toHaveLength(3);
    expect(all.find((j) => j.id === countyA)).toMatchObject({ depth: 1, governmentUnitName: '丰县人民政府' });
    const own = (await req(adminA, 'GET', '/api/v1/jurisdictions')).json().items as J[];
    expect(own.map((j) => j.name)).toEqual(['丰县']);
  });

  /** [who, method, url (ids filled in), body, expected status] */
  const cases: [string, 'GET' | 'PATCH' | 'POST', string, unknown, number][] = [
    // units
    ['adminB', 'GET', '/api/v1/units/{unitA}', undefined, 404],
    ['adminB', 'PATCH', '/api/v1/units/{unitA}', { version: 1, shortName: '改' }, 404],
    ['city', 'GET', '/api/v1/units/{unitA}', undefined, 200],
    ['city', 'PATCH', '/api/v1/units/{unitA}', { version: 1, shortName: '改' }, 403],
    [
      'adminA',
      'POST',
      '/api/v1/units',
      { kind: 'department', name: '越权单位', shortName: '越权', jurisdictionId: '{cityId}' },
      403,
    ],
    // accounts
    ['adminB', 'PATCH', '/api/v1/users/{reporterA}', { version: 1, displayName: '改' }, 404],
    ['city', 'PATCH', '/api/v1/users/{reporterA}', { version: 1, displayName: '改' }, 403],
    [
      'city',
      'POST',
      '/api/v1/users',
      {
        username: 'fx_clerk2',
        displayName: '越权',
        role: 'reporter',
        unitId: '{unitA}',
        jurisdictionId: '{countyA}',
      },
      403,
    ],
    [
      'adminA',
      'POST',
      '/api/v1/users',
      { username: 'fx_city', displayName: '越权', role: 'leader', jurisdictionId: '{cityId}' },
      403,
    ],
    [
      'adminA',
      'POST',
      '/api/v1/users',
      { username: 'fx_bad_unit', displayName: '错单位', role: 'reporter', unitId: '{unitB}' },
      400,
    ],
    // plans
    ['adminB', 'GET', '/api/v1/plans/{planA}', undefined, 404],
    ['adminB', 'GET', '/api/v1/plans/{planA}/tree', undefined, 404],
    ['city', 'GET', '/api/v1/plans/{planA}', undefined, 200],
    ['city', 'POST', '/api/v1/plans/{planA}/publish', { versionId: '{versionA}', version: 1 }, 403],
    ['adminA', 'GET', '/api/v1/plans/{cityPlan}', undefined, 404],
    // what is not yet scoped by jurisdiction stays with the city's own office: cycles, reviews, 督办, audit, surveys
    [
      'adminA',
      'POST',
      '/api/v1/reporting/cycles',
      {
        planId: '{cityPlan}',
        name: '越权周期',
        frequency: 'yearly',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        dueDate: '2026-01-15',
      },
      403,
    ],
    ['adminA', 'GET', '/api/v1/audit', undefined, 403],
    // 督办 is the county's own at its level (supervision-levels.test.ts); alerts stay with the root's office.
    ['adminA', 'GET', '/api/v1/supervision/notices', undefined, 200],
    ['adminA', 'GET', '/api/v1/supervision/alerts', undefined, 403],
    ['adminA', 'GET', '/api/v1/surveys/waves', undefined, 403],
    ['city', 'GET', '/api/v1/audit', undefined, 200],
    // jurisdictions
    [
      'adminA',
      'POST',
      '/api/v1/jurisdictions',
      { parentId: '{cityId}', name: '新区', shortName: '新区', level: 'zone' },
      403,
    ],
    ['adminA', 'PATCH', '/api/v1/jurisdictions/{countyB}', { version: 1, name: '改名' }, 403],
  ];

  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (_, k: string) => ({ cityId, countyA, countyB, ...ids })[k] ?? `?${k}`);
  const fillBody = (b: unknown) => (b === undefined ? undefined : JSON.parse(fill(JSON.stringify(b))));

  describe('across jurisdictions', () => {
    beforeAll(async () => {
      // A unit of the city, for the reporter bound to a unit outside its county.
      const units = (await req(city, 'GET', '/api/v1/units?pageSize=200')).json().items as {
        id: string;
        jurisdictionId: string;
      }[];
      ids.unitB = units.find((u) => u.jurisdictionId === cityId)!.id;
    });

    it.each(cases.map((c, i) => [i, ...c] as const))(
      '#%i %s %s %s',
      async (_i, who, method, url, body, status) => {
        const cookie = { city, adminA, adminB }[who]!;
        const r = await req(cookie, method, fill(url), fillBody(body));
        expect(r.statusCode, r.body).toBe(status);
      },
    );
  });

  it('lists only what each reads: B sees none of A; the city sees all', async () => {
    const unitsOf = async (cookie: string) =>
      ((await req(cookie, 'GET', '/api/v1/units?pageSize=200')).json().items as { id: string }[]).map(
        (u) => u.id,
      );
    expect(await unitsOf(adminB)).not.toContain(ids.unitA);
    expect(await unitsOf(city)).toContain(ids.unitA);
    expect(await unitsOf(adminA)).toEqual(expect.arrayContaining([ids.unitA, ids.unitA2]));
    expect((await unitsOf(adminA)).length).toBe(2);

    const usersOf = async (cookie: string) =>
      ((await req(cookie, 'GET', '/api/v1/users?pageSize=200')).json().items as { id: string }[]).map(
        (u) => u.id,
      );
    expect(await usersOf(adminB)).not.toContain(ids.reporterA);
    expect(await usersOf(city)).toContain(ids.reporterA);

    const plansOf = async (cookie: string) =>
      ((await req(cookie, 'GET', '/api/v1/plans')).json().items as { id: string }[]).map((p) => p.id);
    expect(await plansOf(adminB)).toEqual([]);
    expect(await plansOf(adminA)).toEqual([ids.planA]);
    expect(await plansOf(city)).toEqual(expect.arrayContaining([ids.planA, ids.cityPlan]));
  });

  it('lets the city open and look after a county admin account, and the county admin its own accounts', async () => {
    const made = await req(city, 'POST', '/api/v1/users', {
      username: 'px_admin',
      displayName: '沛县管理员',
      role: 'admin',
      jurisdictionId: countyB,
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().user).toMatchObject({ jurisdictionId: countyB, jurisdictionName: '沛县' });
    const fixed = await req(adminA, 'PATCH', `/api/v1/users/${ids.reporterA}`, {
      version: 1,
      displayName: '丰县填报员甲',
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
  });

  it("lists to a county's admin only the reports of the county's units (the city's office reads all)", async () => {
    const e = env();
    await loadDemoData(e.db.kysely, systemCtx(), { planId: ids.cityPlan!, today: '2025-12-20' });
    const total = async (cookie: string) =>
      (await req(cookie, 'GET', '/api/v1/reports?pageSize=1')).json().total as number;
    expect(await total(city)).toBeGreaterThan(100);
    expect(await total(adminA)).toBe(0);
    const csv = await req(adminA, 'GET', '/api/v1/exports/reports?format=csv');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body.trim().split('\n')).toHaveLength(1);
  });

  it('lets the county admin edit its own plan and the city admin its own', async () => {
    const treeA = (await req(adminA, 'GET', `/api/v1/plans/${ids.planA}/tree`)).json();
    const task = treeA.tasks.find((t: { path: string }) => t.path === '1.1');
    const ownEdit = await req(adminA, 'PATCH', `/api/v1/plan-tasks/${task.id}`, {
      version: task.version,
      title: '创建县级示范学校',
    });
    expect(ownEdit.statusCode, ownEdit.body).toBe(200);
    const cityEdit = await req(city, 'PATCH', `/api/v1/plan-tasks/${task.id}`, {
      version: task.version + 1,
      title: '越权修改',
    });
    expect(cityEdit.statusCode, cityEdit.body).toBe(403);
  });
});
