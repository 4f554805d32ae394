import type { Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { Database, ResourcesTable } from '../../db/schema';
import { newId, nowIso } from '../../ids';
import { describeEachDialect } from '../../test/env';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { samplePlanId } from '../../test/plans-factory';
import { call, createYearCycle } from '../../test/reporting-factory';

interface StatusRow {
  indicatorId: string;
  text: string;
  kind: string;
  actual: number | null;
  status: string;
  counties: { countyName: string; actual: number | null; status: string }[];
  sources: { sourceKind: string; ref: string; label: string; value: number; period: string | number }[];
}

/**
 * Indicators bound to the registries (issue 13): the Xuzhou plan's countable targets come bound out of the box; their
 * actual values are the registry's as of the cycle's date (recognitions in force, the year's trainees, the year's
 * activity person-times over each county's residents), never typed, and each number links to the records behind it.
 */
describeEachDialect('indicators computed from the registries', (env) => {
  let city = '';
  let planId = '';
  let cycleId = '';
  let places = new Map<string, string>();
  let unitId = '';
  let bindings: { indicator_id: string; query_json: string; text: string }[] = [];

  const status = async (query: string) => {
    const r = await call(env().app, city, 'GET', `/api/v1/indicator-status?planId=${planId}&${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().indicators as StatusRow[];
  };
  const byText = (rows: StatusRow[], start: string) => rows.find((i) => i.text.startsWith(start))!;

  const resource = (
    db: Kysely<Database>,
    r: Partial<ResourcesTable> & Pick<ResourcesTable, 'kind' | 'name'>,
  ) =>
    db
      .insertInto('resources')
      .values({
        id: newId(),
        jurisdiction_id: places.get('徐州市')!,
        unit_id: unitId,
        level: null,
        category: null,
        theme: null,
        recognised_on: null,
        expires_on: null,
        withdrawn_on: null,
        withdrawn_reason: null,
        year: r.recognised_on ? Number(r.recognised_on.slice(0, 4)) : null,
        quantity: null,
        hours: null,
        address: null,
        longitude: null,
        latitude: null,
        open_to_public: null,
        opening_hours: null,
        parent_id: null,
        details_json: '{}',
        version: 1,
        created_by: null,
        created_at: nowIso(),
        updated_at: nowIso(),
        demo_batch_id: null,
        ...r,
      })
      .execute();

  const activity = (
    db: Kysely<Database>,
    county: string,
    day: string,
    participants: number,
    duplicateOf?: string,
  ) => {
    const id = newId();
    return db
      .insertInto('activities')
      .values({
        id,
        jurisdiction_id: places.get(county)!,
        organiser_unit_id: unitId,
        title: `科普活动${id}`,
        theme: null,
        campaign: null,
        place: '文化广场',
        longitude: null,
        latitude: null,
        start_date: day,
        end_date: day,
        year: Number(day.slice(0, 4)),
        mode: 'offline',
        populations_json: '[]',
        participants,
        counting_method: '签到',
        summary: null,
        dedupe_key: id,
        duplicate_of: duplicateOf ?? null,
        version: 1,
        created_by: null,
        created_at: nowIso(),
        updated_at: nowIso(),
        demo_batch_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  };

  beforeAll(async () => {
    const e = env();
    const db = e.db.kysely;
    city = (await e.makeUser('admin')).cookie;
    planId = await samplePlanId(db);
    places = await jurisdictionIds(e, city);
    unitId = (await e.makeUnit()).id;
    cycleId = await createYearCycle(e.app, city, planId);
    bindings = await db
      .selectFrom('indicator_bindings as b')
      .innerJoin('indicators as i', 'i.id', 'b.indicator_id')
      .select(['b.indicator_id', 'b.query_json', 'i.text'])
      .execute();

    // 省级 demonstration schools: in force, expired mid-2025, withdrawn (摘牌) in March 2025, one in a county, one
    // recognised only in 2026, and a 市级 one that the 省级 target does not count.
    await resource(db, { kind: 'demo_school', name: '一中', level: '省级', recognised_on: '2023-05-01' });
    await resource(db, {
      kind: 'demo_school',
      name: '二中',
      level: '省级',
      recognised_on: '2024-06-01',
      expires_on: '2025-06-30',
    });
    await resource(db, {
      kind: 'demo_school',
      name: '三中',
      level: '省级',
      recognised_on: '2024-01-01',
      withdrawn_on: '2025-03-01',
      withdrawn_reason: '复核不合格',
    });
    await resource(db, {
      kind: 'demo_school',
      name: '丰县中学',
      level: '省级',
      recognised_on: '2022-09-01',
      jurisdiction_id: places.get('丰县')!,
    });
    await resource(db, { kind: 'demo_school', name: '四中', level: '省级', recognised_on: '2026-01-10' });
    await resource(db, { kind: 'demo_school', name: '实验小学', level: '市级', recognised_on: '2023-01-01' });
    // 科技辅导员 trainings: 120 + 200 in 2025; 2024's and 高素质农民's do not count for 2025.
    for (const [day, n, category] of [
      ['2025-03-10', 120, '科技辅导员'],
      ['2025-10-20', 200, '科技辅导员'],
      ['2024-11-01', 90, '科技辅导员'],
      ['2025-04-01', 5000, '高素质农民'],
    ] as const)
      await resource(db, {
        kind: 'training',
        name: `${category}培训班`,
        category,
        recognised_on: day,
        quantity: n,
      });
    // Activities in 丰县 (residents recorded) and 沛县 (none recorded); a joint activity's second report counts once.
    await db
      .insertInto('population_margins')
      .values({
        id: newId(),
        year: 2025,
        dimension: 'county',
        level: '丰县',
        population: 100000,
        source: '测试',
        sort_order: 0,
        updated_by: null,
        updated_at: nowIso(),
      })
      .execute();
    const first = await activity(db, '丰县', '2025-05-20', 30000);
    await activity(db, '丰县', '2025-05-20', 30000, first.id);
    await activity(db, '丰县', '2025-09-15', 42000);
    await activity(db, '丰县', '2024-09-15', 99999);
    await activity(db, '沛县', '2025-09-16', 5000);
  });

  it('binds the countable targets of the Xuzhou plan out of the box, and nothing else', () => {
    const texts = bindings.map((b) => b.text).sort();
    expect(texts).toHaveLength(14);
    expect(texts).toContain('全市创建15所“省级科学教育综合示范学校”');
    expect(texts).toContain('年科普活动覆盖面达到县域常住人口的80%以上');
    expect(texts.some((t) => t.includes('科学素质的比例'))).toBe(false);
  });

  it('counts the 省级 schools in force on the cycle’s date and links to exactly those records', async () => {
    const row = byText(await status(`cycleId=${cycleId}`), '全市创建15所');
    // 一中 and 丰县中学: 二中 expired on 2025-06-30, 三中 was withdrawn, 四中 comes in 2026, 实验小学 is 市级.
    expect(row.actual).toBe(2);
    const counted = row.sources.find((s) => s.period === '2025-12-31')!;
    expect(counted.sourceKind).toBe('registry');
    expect(counted.label).toContain('截至 2025-12-31：2所');
    const link = new URL(counted.ref, 'http://x/');
    expect(link.pathname).toBe('/registries/demo_school');
    expect(Object.fromEntries(link.searchParams)).toEqual({
      jurisdictionId: places.get('徐州市'),
      level: '省级',
      status: 'in_force',
      asOf: '2025-12-31',
    });
    // The link opens exactly the records counted.
    const listed = await call(env().app, city, 'GET', `/api/v1/${counted.ref}`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect((listed.json().items as { name: string }[]).map((r) => r.name).sort()).toEqual([
      '一中',
      '丰县中学',
    ]);
    // A year earlier all four recognised by then were in force.
    expect(byText(await status('asOf=2024-12-31'), '全市创建15所').actual).toBe(4);
  });

  it('sums the year’s trainees of the bound class', async () => {
    expect(byText(await status(`cycleId=${cycleId}`), '每年培训科技辅导员').actual).toBe(320);
    // Two classes bound together (高素质农民 and 带头人): their link lists both classes' trainings of the year.
    const farmers = byText(await status(`cycleId=${cycleId}`), '每年培育高素质农民');
    expect(farmers.actual).toBe(5000);
    const ref = farmers.sources.find((s) => s.period === '2025-12-31')!.ref;
    const listed = await call(env().app, city, 'GET', `/api/v1/${ref}`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().total).toBe(1);
  });

  it('takes coverage from the year’s activities over each county’s residents; a county without residents is missing', async () => {
    const row = byText(await status(`cycleId=${cycleId}`), '年科普活动覆盖面');
    const feng = row.counties.find((c) => c.countyName === '丰县')!;
    // (30,000 + 42,000) person-times ÷ 100,000 residents: the joint activity once, 2024's not at all.
    expect(feng.actual).toBeCloseTo(72, 6);
    const pei = row.counties.find((c) => c.countyName === '沛县')!;
    expect(pei.actual).toBeNull();
    expect(pei.status).toBe('no_data');
  });

  it('lets the plan’s admin change or remove a binding, audited; others may not', async () => {
    const e = env();
    const row = byText(await status(`cycleId=${cycleId}`), '每年培训科技辅导员');
    const url = `/api/v1/indicators/${row.indicatorId}/binding`;
    const got = await call(e.app, city, 'GET', url);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toMatchObject({ description: '科技辅导员 培训 当年人数合计', canEdit: true });

    const reporter = (await e.makeUser('reporter', { unitId })).cookie;
    expect((await call(e.app, reporter, 'PUT', url, { query: null })).statusCode).toBe(403);
    const county = (await countyAdmin(e, city, '沛县')).cookie;
    expect((await call(e.app, county, 'PUT', url, { query: null })).statusCode).toBe(403);
    const wrong = await call(e.app, city, 'PUT', url, { query: { measure: 'count', kind: 'training' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain('统计口径与指标类型不符');
    const forged = await call(e.app, city, 'PUT', '/api/v1/indicators/01HZZZZZZZZZZZZZZZZZZZZZZZ/binding', {
      query: null,
    });
    expect(forged.statusCode).toBe(404);

    const off = await call(e.app, city, 'PUT', url, { query: null });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().query).toBeNull();
    // Typed again: nobody has reported it, so there is no figure (never 0).
    expect(byText(await status(`cycleId=${cycleId}`), '每年培训科技辅导员').actual).toBeNull();
    const on = await call(e.app, city, 'PUT', url, {
      query: { measure: 'sum_quantity', kind: 'training', categories: ['科技辅导员'] },
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(byText(await status(`cycleId=${cycleId}`), '每年培训科技辅导员').actual).toBe(320);
    const audit = await e.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', row.indicatorId)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['indicator.unbind', 'indicator.bind']);
  });

  it('shows a report of a bound indicator the computed figure and refuses a typed one', async () => {
    const e = env();
    const tree = await call(e.app, city, 'GET', `/api/v1/plans/${planId}/tree`);
    const task = (
      tree.json().tasks as {
        id: string;
        units: { unitId: string; role: string }[];
        indicators: { text: string }[];
      }[]
    ).find((t) => t.indicators.some((i) => i.text.startsWith('全市创建15所')))!;
    const lead = task.units.find((u) => u.role === 'lead')!;
    const clerk = (await e.makeUser('reporter', { unitId: lead.unitId })).cookie;
    const opened = await call(e.app, clerk, 'POST', '/api/v1/reports', { cycleId, taskId: task.id });
    expect(opened.statusCode, opened.body).toBe(200);
    const report = opened.json();
    const ind = (
      report.indicators as {
        id: string;
        text: string;
        isReported: boolean;
        computed: { items: { value: number; link: string }[] } | null;
      }[]
    ).find((i) => i.text.startsWith('全市创建15所'))!;
    expect(ind.isReported).toBe(false);
    expect(ind.computed?.items.map((x) => x.value)).toEqual([2]);
    expect(ind.computed?.items[0]?.link).toContain('registries/demo_school?');
    const typed = await call(e.app, clerk, 'PATCH', `/api/v1/reports/${report.id}`, {
      progress: 'in_progress',
      narrative: '推进中',
      values: [{ indicatorId: ind.id, countyId: null, value: 15, note: '' }],
      version: report.version,
    });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().error.message).toContain('由资源库自动计算');
  });
});
