import { beforeAll, expect, it } from 'vitest';
import { systemCtx } from '../../context';
import { describeEachDialect } from '../../test/env';
import { buildCountyDraft } from '../../test/plan-factory';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { samplePlanId } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';
import { tableRowCounts } from '../../test/row-counts';
import { evaluatePlan } from '../progress/progress.service';
import { type DemoCountyPlan, loadDemoData, loadedDemoCountyPlans, removeDemoData } from './demo.service';

const TODAY = '2026-02-10';

interface Tree {
  plan: { jurisdictionId: string; docNumber: string | null };
  version: { isPublished: boolean };
  tasks: {
    path: string;
    depth: number;
    title: string;
    units: { unitId: string; unitShortName: string; role: string }[];
    indicators: { text: string; kind: string; targetValue: number; unit: string; deadline: string | null }[];
  }[];
}

interface Links {
  parentPlan: { id: string } | null;
  parentTasks: { id: string; path: string }[];
  tasks: {
    path: string;
    title: string;
    links: { targetTaskId: string; targetPath: string; state: string }[];
  }[];
  confirmed: number;
  proposed: number;
  unlinked: number;
}

/**
 * The demo's counties (issue 12): 丰县 and 睢宁县 run invented 实施方案 of their own, imported like a county admin's,
 * linked to the city plan, with reports of their units; `kesu demo remove` deletes all of it and nothing real.
 */
describeEachDialect('demo counties', (env) => {
  let city = '';
  let fengAdmin = '';
  let counties = new Map<string, string>();
  let before: Record<string, number> = {};
  let batchId = '';
  let plans: DemoCountyPlan[] = [];
  const tree = async (planId: string) => {
    const r = await call(env().app, city, 'GET', `/api/v1/plans/${planId}/tree`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Tree;
  };

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    counties = await jurisdictionIds(e, city);
    fengAdmin = (await countyAdmin(e, city, '丰县')).cookie;
    before = await tableRowCounts(e.db.kysely);
    batchId = (await loadDemoData(e.db.kysely, systemCtx(), { today: TODAY })).batchId;
    plans = await loadedDemoCountyPlans(e.db.kysely);
  });

  it('loads two county plans of their own, in their counties, with the units and targets their documents name', async () => {
    const db = env().db.kysely;
    expect(plans.map((p) => p.jurisdictionName)).toEqual(['丰县', '睢宁县']);
    const docNumbers = { 丰县: '丰政发〔2022〕27号', 睢宁县: '睢政发〔2022〕35号' } as Record<string, string>;
    for (const p of plans) {
      expect(p.jurisdictionId).toBe(counties.get(p.jurisdictionName));
      const t = await tree(p.planId);
      expect(t.plan).toMatchObject({
        jurisdictionId: p.jurisdictionId,
        docNumber: docNumbers[p.jurisdictionName],
      });
      expect(t.version.isPublished).toBe(true);
      // 24 numbered tasks under 三、重点任务, each with one lead unit of the county's own.
      const items = t.tasks.filter((x) => x.depth === 3);
      expect(items).toHaveLength(24);
      for (const x of items)
        expect(
          x.units.filter((u) => u.role === 'lead'),
          x.path,
        ).toHaveLength(1);
      const unitIds = [...new Set(t.tasks.flatMap((x) => x.units.map((u) => u.unitId)))];
      const units = await db
        .selectFrom('units')
        .select(['jurisdiction_id', 'demo_batch_id'])
        .where('id', 'in', unitIds)
        .execute();
      expect(units.every((u) => u.jurisdiction_id === p.jurisdictionId && u.demo_batch_id === batchId)).toBe(
        true,
      );
      expect(t.tasks.flatMap((x) => x.units.map((u) => u.unitShortName))).toContain(
        `${p.jurisdictionName}科协`,
      );
    }
    const feng = await tree(plans[0]!.planId);
    const indicators = feng.tasks.flatMap((x) => x.indicators);
    // The document's 14 targets, and the count the city assigned down (分解下达).
    expect(indicators).toHaveLength(15);
    expect(indicators.find((i) => i.text === '县级科普教育基地达到15个')).toMatchObject({
      kind: 'cumulative',
      targetValue: 15,
      unit: '个',
      deadline: '2025-12-31',
    });
    expect(indicators.find((i) => i.text === '每年培育高素质农民1200名')).toMatchObject({
      kind: 'annual',
      targetValue: 1200,
    });
    expect(indicators.find((i) => i.text.includes('县域常住人口'))?.kind).toBe('population_share');

    // Invented documents never reach the public, though published inside kesu.
    const pub = await env().app.inject({ method: 'GET', url: '/api/v1/public/plans' });
    expect(pub.json().items.map((p: { id: string }) => p.id)).toEqual([await samplePlanId(db)]);
    const hidden = await env().app.inject({ method: 'GET', url: `/api/v1/public/plans/${plans[0]!.planId}` });
    expect(hidden.statusCode).toBe(404);
    // The city's own plan still comes first in its list.
    const list = (await call(env().app, city, 'GET', '/api/v1/plans')).json();
    expect(list.items[0].id).toBe(await samplePlanId(db));
  });

  it('links the county tasks to the city tasks they implement, the strong proposals confirmed', async () => {
    const cityPlan = await samplePlanId(env().db.kysely);
    for (const p of plans) {
      const r = await call(env().app, city, 'GET', `/api/v1/plans/${p.planId}/links`);
      expect(r.statusCode, r.body).toBe(200);
      const l = r.json() as Links;
      expect(l.parentPlan?.id).toBe(cityPlan);
      const cityTasks = new Set(l.parentTasks.map((t) => t.id));
      const links = l.tasks.flatMap((t) => t.links);
      expect(links.every((x) => cityTasks.has(x.targetTaskId))).toBe(true);
      expect(l.confirmed).toBeGreaterThanOrEqual(15);
      // Weaker proposals are left to the county admin, and some tasks are the county's own.
      expect(l.proposed).toBeGreaterThan(0);
      expect(l.unlinked).toBeGreaterThan(0);
    }
    const feng = (
      await call(env().app, city, 'GET', `/api/v1/plans/${plans[0]!.planId}/links`)
    ).json() as Links;
    const linkOf = (path: string) => feng.tasks.find((t) => t.path === path)!.links;
    expect(linkOf('3.2.1')).toEqual([expect.objectContaining({ targetPath: '3.2.1', state: 'confirmed' })]);
    expect(linkOf('3.4.3')).toEqual([expect.objectContaining({ targetPath: '3.4.3', state: 'confirmed' })]);
  });

  it("files the county units' reports, mostly approved, and the county's dashboard evaluates", async () => {
    const db = env().db.kysely;
    for (const p of plans) {
      const cycles = await db
        .selectFrom('reporting_cycles')
        .select(['id', 'state', 'demo_batch_id'])
        .where('plan_id', '=', p.planId)
        .orderBy('period_end')
        .execute();
      expect(cycles.map((c) => c.state)).toEqual([...Array(6).fill('locked'), 'closed', 'open']);
      expect(cycles.every((c) => c.demo_batch_id === batchId)).toBe(true);
      const reports = await db
        .selectFrom('progress_reports as r')
        .innerJoin('reporting_cycles as c', 'c.id', 'r.cycle_id')
        .innerJoin('units as u', 'u.id', 'r.unit_id')
        .select(['r.state', 'r.demo_batch_id', 'u.jurisdiction_id'])
        .where('c.plan_id', '=', p.planId)
        .execute();
      expect(reports.length).toBeGreaterThan(300);
      expect(
        reports.every((r) => r.jurisdiction_id === p.jurisdictionId && r.demo_batch_id === batchId),
      ).toBe(true);
      const by = (s: string) => reports.filter((r) => r.state === s).length;
      expect(by('approved')).toBeGreaterThan(reports.length * 0.8);
      expect(by('submitted') + by('returned')).toBeGreaterThan(0);

      const e = await evaluatePlan(db, { planId: p.planId, asOf: '2025-12-31', publishedSurveysOnly: false });
      const training = e.indicators.find((i) => i.text.startsWith('每年培育高素质农民'));
      expect(training?.actual).toBeGreaterThan(0);
      expect(training?.status).not.toBe('no_data');
      expect(e.counts.green).toBeGreaterThan(0);
    }
    // The county admin reads its own plan's figures.
    const own = await call(
      env().app,
      fengAdmin,
      'GET',
      `/api/v1/indicator-status?planId=${plans[0]!.planId}&asOf=2025-12-31`,
    );
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().counts.green).toBeGreaterThan(0);
  });

  it("assigns a city count down with quotas; the demo counties' values roll up to the city indicator", async () => {
    const db = env().db.kysely;
    const allocations = await db.selectFrom('allocations').selectAll().execute();
    expect(allocations.length).toBeGreaterThan(2);
    const indicatorId = allocations[0]!.indicator_id;
    const quotaSum = allocations.reduce((s, a) => s + Number(a.target_value), 0);
    const city = await db
      .selectFrom('indicators')
      .selectAll()
      .where('id', '=', indicatorId)
      .executeTakeFirstOrThrow();
    expect(quotaSum).toBe(Number(city.target_value));
    expect(city.breakdown_by_county).toBe(1);
    const cityPlan = (
      await db
        .selectFrom('plans')
        .select('id')
        .where('demo_batch_id', 'is', null)
        .orderBy('created_at')
        .executeTakeFirstOrThrow()
    ).id;
    const e = await evaluatePlan(db, { planId: cityPlan, asOf: '2025-12-31', publishedSurveysOnly: false });
    const row = e.indicators.find((i) => i.indicatorId === indicatorId)!;
    const fromCounties = row.sources.filter((s) => s.sourceKind === 'county' && s.isCounted);
    expect(new Set(fromCounties.map((s) => s.countyName))).toEqual(new Set(['丰县', '睢宁县']));
    // The city's value is the sum of the counties with data; the others are named as missing.
    expect(row.actual).toBeCloseTo(
      fromCounties.reduce((s, o) => s + o.value, 0),
      9,
    );
    expect(row.explanation).toMatch(/无数据/);
  });

  it('loads the registries, activities, 科普经费 and content of the city (issue 13), every row marked', async () => {
    const db = env().db.kysely;
    const tables = [
      'resources',
      'activities',
      'activity_coorganisers',
      'volunteer_services',
      'funding',
      'funding_standards',
      'content_items',
    ] as const;
    const now = await tableRowCounts(db);
    for (const t of tables) expect(now[t]! - before[t]!, t).toBeGreaterThan(0);
    const kinds = await db
      .selectFrom('resources')
      .select(['kind', (eb) => eb.fn.countAll().as('n')])
      .where('demo_batch_id', '=', batchId)
      .groupBy('kind')
      .execute();
    const n = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
    for (const kind of [
      'science_base',
      'demo_school',
      'stem_base',
      'youth_studio',
      'science_museum',
      'museum_visit',
    ])
      expect(n[kind], kind).toBeGreaterThan(0);
    expect(n.expert_team).toBe(9);
    expect(n.chief_expert).toBe(45);
    for (const kind of ['training', 'competition', 'volunteer_team', 'volunteer'])
      expect(n[kind], kind).toBeGreaterThan(0);
    // 省级 bases: some expired or withdrawn before today; coordinates inside 徐州市's box.
    const bases = await db.selectFrom('resources').selectAll().where('kind', '=', 'science_base').execute();
    expect(bases.some((b) => b.withdrawn_on !== null && b.withdrawn_on <= TODAY)).toBe(true);
    expect(bases.some((b) => b.expires_on !== null && b.expires_on < TODAY)).toBe(true);
    for (const b of bases) {
      expect(b.longitude!).toBeGreaterThan(116.366);
      expect(b.longitude!).toBeLessThan(118.667);
      expect(b.latitude!).toBeGreaterThan(33.716);
      expect(b.latitude!).toBeLessThan(34.967);
    }
    // Joint activities: reported twice, counted once.
    const dups = await db
      .selectFrom('activities')
      .select('id')
      .where('duplicate_of', 'is not', null)
      .execute();
    expect(dups.length).toBeGreaterThan(0);
    // The city's 1.5 元/人 standard; the county's funding read back through the funding page.
    const view = await call(
      env().app,
      city,
      'GET',
      `/api/v1/funding?jurisdictionId=${counties.get('徐州市')}&year=2025`,
    );
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().ownStandard).toBe(1.5);
    expect(view.json().children.find((c: { name: string }) => c.name === '丰县').budgeted).toBeGreaterThan(0);
    for (const t of ['resources', 'activities', 'funding', 'content_items', 'volunteer_services'] as const) {
      const unmarked = await db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('demo_batch_id', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(unmarked.n), t).toBe(before[t]);
    }
  });

  it('removes every row it made, leaving every table as before loading', async () => {
    const e = env();
    const deleted = await removeDemoData(e.db.kysely, systemCtx());
    expect(deleted).toMatchObject({ plans: 2, plan_versions: 2, units: 45 });
    expect(deleted.plans_kept).toBeUndefined();
    const after = await tableRowCounts(e.db.kysely);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect(await loadedDemoCountyPlans(e.db.kysely)).toEqual([]);
    // The city indicator assigned down is as it was: no county targets, not broken down.
    const restored = await e.db.kysely
      .selectFrom('indicators')
      .select('breakdown_by_county')
      .where('breakdown_by_county', '=', 1)
      .where('kind', '=', 'cumulative')
      .execute();
    expect(restored).toEqual([]);
  });

  it("never touches what is real: a county's own plan and the demo unit it names, an account of a demo unit", async () => {
    const e = env();
    const db = e.db.kysely;
    await loadDemoData(db, systemCtx(), { today: TODAY });
    const [feng] = await loadedDemoCountyPlans(db);
    // 丰县's admin imports a plan of the county's own: its 丰县科协 is the unit the demo made.
    const imported = await call(e.app, fengAdmin, 'POST', '/api/v1/plans/import', {
      // A small 实施方案 of 丰县's own, as its admin would import it, naming a unit the demo made (丰县科协).
      draft: buildCountyDraft({
        title: '丰县科普示范县创建工作方案',
        date: '2026-01-05',
        unit: '丰县科协',
        part: '重点任务',
        tasks: ['创建全国科普示范县', '建设科普示范镇'],
      }),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const realPlan = imported.json().plan.id as string;
    const realTree = await tree(realPlan);
    const kx = realTree.tasks[1]!.units[0]!.unitId;
    // And the city opens an account for the demo's 丰县教育局.
    const edu = await db
      .selectFrom('units')
      .select('id')
      .where('name', '=', '丰县教育局')
      .executeTakeFirstOrThrow();
    await e.makeUser('reporter', { unitId: edu.id, jurisdictionId: feng!.jurisdictionId });

    const deleted = await removeDemoData(db, systemCtx());
    expect(deleted).toMatchObject({ plans: 2, units: 43, units_kept: 2 });
    expect(await tree(realPlan)).toEqual(realTree);
    const kept = await db
      .selectFrom('units')
      .select(['id', 'demo_batch_id'])
      .where('id', 'in', [kx, edu.id])
      .execute();
    expect(kept).toHaveLength(2);
    expect(kept.every((u) => u.demo_batch_id === null)).toBe(true);

    // With a plan of its own, 丰县 gets no demo plan on the next load; 睢宁县 does.
    await loadDemoData(db, systemCtx(), { today: TODAY });
    expect((await loadedDemoCountyPlans(db)).map((p) => p.jurisdictionName)).toEqual(['睢宁县']);
    await removeDemoData(db, systemCtx());
    expect(await tree(realPlan)).toEqual(realTree);
  });
});
