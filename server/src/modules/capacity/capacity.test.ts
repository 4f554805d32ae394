import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { call } from '../../test/reporting-factory';
import { publishedCapacityIndex } from './capacity-reads.service';

interface County {
  id: string;
  name: string;
  index: number | null;
  rank: number | null;
  incomplete: boolean;
  indicators: {
    key: string;
    raw: number | null;
    value: number | null;
    scaled: number | null;
    missing: string | null;
  }[];
  dimensions: Record<string, number | null>;
}

/**
 * The capacity index over HTTP: the city's admin configures (two dimensions: 人均科普经费 from the funding module, 科普
 * 传媒 entered by hand per 万人), computes, publishes; the public reads the published result with its weights and
 * method. Figures by hand below. The level's staff read, a county reads its own level's only, others 404.
 */
describeEachDialect('capacity index (科学素质建设能力监测评估)', (env) => {
  let city = '';
  let cityId = '';
  let feng = { cookie: '', jurisdictionId: '' };
  let pei = { cookie: '', jurisdictionId: '' };
  let suiningId = '';
  let leader = '';
  let reporter = '';

  const config = (version?: number) => ({
    jurisdictionId: cityId,
    year: 2025,
    scaling: 'minmax',
    dimensions: [
      {
        key: 'funding',
        name: '科普经费',
        weight: 3,
        indicators: [
          {
            key: 'fpr',
            name: '人均科普经费',
            unit: '元/人',
            weight: 1,
            direction: 'higher',
            perResident: false,
            source: { kind: 'funding_per_resident' },
          },
        ],
      },
      {
        key: 'media',
        name: '科普传媒',
        weight: 1,
        indicators: [
          {
            key: 'media_items',
            name: '科普传媒作品',
            unit: '个',
            weight: 2,
            direction: 'higher',
            perResident: true,
            source: { kind: 'manual' },
          },
        ],
      },
    ],
    manualValues: [
      { indicatorKey: 'media_items', jurisdictionId: feng.jurisdictionId, value: 200 },
      { indicatorKey: 'media_items', jurisdictionId: pei.jurisdictionId, value: 50 },
      { indicatorKey: 'media_items', jurisdictionId: suiningId, value: 30 },
    ],
    ...(version !== undefined ? { version } : {}),
  });

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    const ids = await jurisdictionIds(e, city);
    cityId = ids.get('徐州市')!;
    suiningId = ids.get('睢宁县')!;
    feng = await countyAdmin(e, city, '丰县');
    pei = await countyAdmin(e, city, '沛县');
    leader = (await e.makeUser('leader', { jurisdictionId: cityId })).cookie;
    reporter = (await e.makeUser('reporter', { unitId: (await e.makeUnit()).id })).cookie;
    const margins = await call(e.app, city, 'POST', '/api/v1/surveys/margins/2025', {
      rows: [
        { dimension: 'total', level: '全市', population: 9_000_000, source: '测试' },
        { dimension: 'county', level: '丰县', population: 1_000_000, source: '测试' },
        { dimension: 'county', level: '沛县', population: 500_000, source: '测试' },
      ],
    });
    expect(margins.statusCode, margins.body).toBe(200);
    for (const [who, id, yuan] of [
      [feng.cookie, feng.jurisdictionId, 1_500_000],
      [pei.cookie, pei.jurisdictionId, 1_500_000],
    ] as const) {
      const f = await call(e.app, who, 'PUT', '/api/v1/funding', {
        jurisdictionId: id,
        year: 2025,
        rows: [{ source: '本级财政预算', budgeted: yuan, spent: null, note: null }],
      });
      expect(f.statusCode, f.body).toBe(200);
    }
    const suining = (await countyAdmin(e, city, '睢宁县')).cookie;
    await call(e.app, suining, 'PUT', '/api/v1/funding', {
      jurisdictionId: suiningId,
      year: 2025,
      rows: [{ source: '本级财政预算', budgeted: 1_000_000, spent: null, note: null }],
    });
  });

  it('shows the default configuration, saves the admin’s, and keeps the policy', async () => {
    const app = env().app;
    const q = `/api/v1/capacity/config?jurisdictionId=${cityId}&year=2025`;
    const first = await call(app, city, 'GET', q);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().isDefault).toBe(true);
    expect(first.json().dimensions.map((d: { name: string }) => d.name)).toEqual([
      '科普人员',
      '科普场地',
      '科普经费',
      '科普传媒',
      '科普活动',
      '公民科学素质水平',
    ]);
    expect(first.json().counties.map((c: { name: string }) => c.name)).toContain('丰县');

    const saved = await call(app, city, 'PUT', '/api/v1/capacity/config', config());
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ isDefault: false, version: 1, canEdit: true });
    // Saving again needs the version; a stale one is a conflict.
    expect((await call(app, city, 'PUT', '/api/v1/capacity/config', config())).statusCode).toBe(409);
    expect((await call(app, city, 'PUT', '/api/v1/capacity/config', config(7))).statusCode).toBe(409);
    const again = await call(app, city, 'PUT', '/api/v1/capacity/config', config(1));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().version).toBe(2);
    // Manual values only for manual indicators; duplicate keys refused.
    const bad = config(2);
    bad.manualValues.push({ indicatorKey: 'fpr', jurisdictionId: feng.jurisdictionId, value: 1 });
    expect((await call(app, city, 'PUT', '/api/v1/capacity/config', bad)).statusCode).toBe(400);

    // The level's staff read; a reporter may not; a county reads its own level's only.
    const seen = await call(app, leader, 'GET', q);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().canEdit).toBe(false);
    expect((await call(app, leader, 'PUT', '/api/v1/capacity/config', config(2))).statusCode).toBe(403);
    expect((await call(app, reporter, 'GET', q)).statusCode).toBe(403);
    expect((await call(app, feng.cookie, 'GET', q)).statusCode).toBe(404);
    expect((await call(app, feng.cookie, 'PUT', '/api/v1/capacity/config', config(2))).statusCode).toBe(404);
    expect(
      (
        await call(app, feng.cookie, 'POST', '/api/v1/capacity/compute', {
          jurisdictionId: cityId,
          year: 2025,
        })
      ).statusCode,
    ).toBe(404);
    const own = await call(
      app,
      feng.cookie,
      'GET',
      `/api/v1/capacity/config?jurisdictionId=${feng.jurisdictionId}&year=2025`,
    );
    expect(own.statusCode).toBe(200);
    expect(own.json().canEdit).toBe(true);
    // The city reads a county's configuration and does not write it.
    const cityOnCounty = { ...config(), jurisdictionId: feng.jurisdictionId, manualValues: [] };
    expect((await call(app, city, 'PUT', '/api/v1/capacity/config', cityOnCounty)).statusCode).toBe(403);
    // A county without children has nothing to rank.
    expect(
      (
        await call(app, feng.cookie, 'POST', '/api/v1/capacity/compute', {
          jurisdictionId: feng.jurisdictionId,
          year: 2025,
        })
      ).statusCode,
    ).toBe(409);
  });

  it('computes the index by hand: funding per resident and media per 万人, min–max, weights 3 : 1', async () => {
    const app = env().app;
    const r = await call(app, city, 'POST', '/api/v1/capacity/compute', {
      jurisdictionId: cityId,
      year: 2025,
    });
    expect(r.statusCode, r.body).toBe(200);
    const result = r.json();
    expect(result.isPublished).toBe(false);
    expect(result.dimensions.map((d: { weight: number }) => d.weight)).toEqual([0.75, 0.25]);
    expect(result.dimensions[1].indicators[0].weight).toBe(1);
    expect(result.dimensions[0].indicators[0].source).toBe('人均科普经费（元/人）');
    expect(result.method).toContain('合计 1');
    const c = (name: string) => (result.counties as County[]).find((x) => x.name === name)!;
    // 人均经费: 丰县 1,500,000 / 1,000,000 = 1.5, 沛县 1,500,000 / 500,000 = 3 → scaled 0 and 100.
    // 传媒 per 万人: 丰县 200 / 100 = 2, 沛县 50 / 50 = 1 → scaled 100 and 0.
    // Index = 0.75 经费 + 0.25 传媒: 丰县 0 + 25 = 25, 沛县 75 + 0 = 75.
    expect(c('丰县').indicators.find((i) => i.key === 'fpr')!.raw).toBe(1.5);
    expect(c('丰县').indicators.find((i) => i.key === 'media_items')!.value).toBeCloseTo(2, 9);
    expect(c('丰县').index).toBeCloseTo(25, 9);
    expect(c('沛县').index).toBeCloseTo(75, 9);
    expect(c('沛县').rank).toBe(1);
    expect(c('丰县').rank).toBe(2);
    // 睢宁县 has no residents: neither figure is counted (not 0), and it has no index.
    const suining = c('睢宁县');
    expect(suining.indicators.map((i) => i.missing)).toEqual(['缺少常住人口数据', '缺少常住人口数据']);
    expect(suining).toMatchObject({ index: null, rank: null, incomplete: true });
    // Another county without any figure: not recorded.
    expect(c('新沂市').indicators.map((i) => i.missing)).toEqual(['缺少常住人口数据', '未录入']);
    // Sensitivity: 经费 0.6 or 0.9 keeps 沛县 first (丰县 40 vs 60, 10 vs 90).
    expect(result.sensitivity.scenarios).toHaveLength(4);
    expect(result.sensitivity.scenarios.every((s: { changesTop: boolean }) => !s.changesTop)).toBe(true);
    expect(result.sensitivity.rankRange[c('丰县').id]).toEqual({ best: 2, worst: 2 });

    // The staff read it; not yet public.
    const read = await call(
      app,
      leader,
      'GET',
      `/api/v1/capacity/results?jurisdictionId=${cityId}&year=2025`,
    );
    expect(read.statusCode).toBe(200);
    expect(read.json().latest.id).toBe(result.id);
    expect(read.json().published).toBeNull();
    expect((await call(app, null, 'GET', '/api/v1/public/capacity')).json().result).toBeNull();
    expect(
      (await call(app, leader, 'POST', `/api/v1/capacity/results/${result.id}/publish`)).statusCode,
    ).toBe(403);
    expect(
      (await call(app, feng.cookie, 'POST', `/api/v1/capacity/results/${result.id}/publish`)).statusCode,
    ).toBe(404);

    const pub = await call(app, city, 'POST', `/api/v1/capacity/results/${result.id}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().isPublished).toBe(true);
    const open = await call(app, null, 'GET', '/api/v1/public/capacity');
    expect(open.statusCode).toBe(200);
    expect(open.json().available).toEqual([
      { jurisdictionId: cityId, jurisdictionName: '徐州市', year: 2025 },
    ]);
    expect(open.json().result.dimensions[0]).toMatchObject({ name: '科普经费', weight: 0.75 });
    expect(open.json().result.method).toContain('极差标准化');
    const reads = await publishedCapacityIndex(env().db.kysely, cityId, 2025);
    expect(reads?.id).toBe(result.id);
    expect(await publishedCapacityIndex(env().db.kysely, cityId, 2024)).toBeNull();
    // Open data: the published index as a table with the weights in the headers.
    const entry = (await call(app, null, 'GET', '/api/v1/public/open-data'))
      .json()
      .items.find((d: { dataset: string }) => d.dataset === 'capacity-index');
    expect(entry.periods.map((p: { period: string }) => p.period)).toEqual(['2025']);
    const table = (await call(app, null, 'GET', entry.latest.json)).json();
    expect(table.columns.map((c: { label: string }) => c.label)).toContain('科普经费（权重 75%）');
    expect(table.rows.map((r: { county: string; rank: number | null }) => [r.county, r.rank])).toEqual(
      open
        .json()
        .result.counties.map((c: { name: string; rank: number | null }) => [c.name, c.rank])
        .sort(
          (a: [string, number | null], b: [string, number | null]) =>
            (a[1] ?? 1e9) - (b[1] ?? 1e9) || a[0].localeCompare(b[0], 'zh-CN'),
        ),
    );

    // A new computation replaces the latest, not the published one until published.
    const second = await call(app, city, 'POST', '/api/v1/capacity/compute', {
      jurisdictionId: cityId,
      year: 2025,
    });
    const both = await call(app, city, 'GET', `/api/v1/capacity/results?jurisdictionId=${cityId}&year=2025`);
    expect(both.json().latest.id).toBe(second.json().id);
    expect(both.json().published.id).toBe(result.id);
    const off = await call(app, city, 'POST', `/api/v1/capacity/results/${result.id}/unpublish`);
    expect(off.statusCode, off.body).toBe(200);
    expect((await call(app, null, 'GET', '/api/v1/public/capacity')).json().result).toBeNull();
    expect((await call(app, null, 'GET', entry.periods[0].urls.json)).statusCode).toBe(404);
    expect(
      (await call(app, city, 'POST', `/api/v1/capacity/results/${result.id}/unpublish`)).statusCode,
    ).toBe(409);
  });

  it('counts registry records in force by county of the levels asked, and the year’s activity person-times (2026)', async () => {
    const e = env();
    const fengUnit = await e.makeUnit({ jurisdictionId: feng.jurisdictionId });
    const peiUnit = await e.makeUnit({ jurisdictionId: pei.jurisdictionId });
    const fengClerk = (
      await e.makeUser('reporter', { unitId: fengUnit.id, jurisdictionId: feng.jurisdictionId })
    ).cookie;
    const peiClerk = (
      await e.makeUser('reporter', { unitId: peiUnit.id, jurisdictionId: pei.jurisdictionId })
    ).cookie;
    const base = (who: string, name: string, level: string, extra: Record<string, unknown> = {}) =>
      call(e.app, who, 'POST', '/api/v1/registries/science_base', {
        name,
        level,
        recognisedOn: '2024-05-01',
        ...extra,
      });
    for (const made of [
      await base(fengClerk, '丰县基地一', '省级'),
      await base(fengClerk, '丰县基地二', '省级'),
      await base(fengClerk, '丰县基地三', '市级'),
      // Withdrawn before the year's end: not in force, not counted.
      await base(fengClerk, '丰县基地四', '省级', {
        withdrawnOn: '2026-03-01',
        withdrawnReason: '复核未通过',
      }),
      await base(peiClerk, '沛县基地', '省级'),
    ])
      expect(made.statusCode, made.body).toBe(201);
    // The year's counted activities: 丰县 300 person-times, 沛县 100.
    for (const [who, place, participants] of [
      [fengClerk, '丰县科技馆', 300],
      [peiClerk, '沛县文化馆', 100],
    ] as const) {
      const a = await call(e.app, who, 'POST', '/api/v1/activities', {
        title: '科技活动周 科普讲座',
        place,
        startDate: '2026-05-20',
        endDate: '2026-05-20',
        mode: 'offline',
        participants,
        countingMethod: '签到',
        populations: ['youth'],
      });
      expect(a.statusCode, a.body).toBe(201);
    }
    const saved = await call(e.app, city, 'PUT', '/api/v1/capacity/config', {
      jurisdictionId: cityId,
      year: 2026,
      scaling: 'minmax',
      dimensions: [
        {
          key: 'venues',
          name: '科普场地',
          weight: 1,
          indicators: [
            {
              key: 'bases',
              name: '省级科普教育基地',
              unit: '个',
              weight: 1,
              direction: 'higher',
              perResident: false,
              source: { kind: 'registry', resourceKind: 'science_base', levels: ['省级'], categories: [] },
            },
          ],
        },
        {
          key: 'activities',
          name: '科普活动',
          weight: 1,
          indicators: [
            {
              key: 'pt',
              name: '科普活动参与人次',
              unit: '人次',
              weight: 1,
              direction: 'higher',
              perResident: false,
              source: { kind: 'activity_person_times' },
            },
          ],
        },
      ],
      manualValues: [],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const r = await call(e.app, city, 'POST', '/api/v1/capacity/compute', {
      jurisdictionId: cityId,
      year: 2026,
    });
    expect(r.statusCode, r.body).toBe(200);
    const counties = r.json().counties as County[];
    const c = (name: string) => counties.find((x) => x.name === name)!;
    // Bases: 丰县 2 (the 市级 one and the withdrawn one not counted), 沛县 1, the others 0: min–max 100, 50, 0.
    expect(c('丰县').indicators[0]!.raw).toBe(2);
    expect(c('沛县').indicators[0]!.raw).toBe(1);
    expect(c('睢宁县').indicators[0]!.raw).toBe(0);
    // Person-times: 丰县 300, 沛县 100, others 0: 100, 33.33, 0. Index (½ each): 丰县 100, 沛县 (50 + 33.33)/2.
    expect(c('丰县').indicators[1]!.raw).toBe(300);
    expect(c('沛县').indicators[1]!.scaled).toBeCloseTo(100 / 3, 9);
    expect(c('丰县').index).toBeCloseTo(100, 9);
    expect(c('沛县').index).toBeCloseTo((50 + 100 / 3) / 2, 9);
    expect(c('睢宁县').index).toBe(0);
    // Every other county ties third.
    expect(counties.filter((x) => x.rank === 3).length).toBe(counties.length - 2);
    expect(r.json().dimensions[0].indicators[0].source).toBe('资源库：科普教育基地（省级）');
  });

  it('copies last year’s configuration without the values entered by hand, and audits every write', async () => {
    const app = env().app;
    const copied = await call(app, city, 'POST', '/api/v1/capacity/config/copy', {
      jurisdictionId: cityId,
      year: 2026,
    });
    expect(copied.statusCode, copied.body).toBe(200);
    expect(copied.json().dimensions.map((d: { key: string }) => d.key)).toEqual(['funding', 'media']);
    expect(copied.json().manualValues).toEqual([]);
    expect(copied.json().hasPrevious).toBe(true);
    expect(
      (await call(app, city, 'POST', '/api/v1/capacity/config/copy', { jurisdictionId: cityId, year: 2030 }))
        .statusCode,
    ).toBe(404);
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'capacity.%')
      .execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set([
        'capacity.config.save',
        'capacity.compute',
        'capacity.publish',
        'capacity.unpublish',
        'capacity.config.copy',
      ]),
    );
  });
});
