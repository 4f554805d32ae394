import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { newId } from '../../ids';
import { currentUser } from '../auth/auth.service';
import { exportActivities } from './activities-io.service';
import { dateIn, plusDays } from '../../time';
import { describeEachDialect, ORIGIN } from '../../test/env';
import { countyAdmin } from '../../test/jurisdictions-factory';
import { multipartBody } from '../../test/plans-factory';
import { call, TINY_PDF, TINY_PNG } from '../../test/reporting-factory';

type Actor = 'city' | 'fengxian' | 'peixian' | 'fxClerk' | 'fxClerk2' | 'leader';

interface ActivityOut {
  id: string;
  version: number;
  year: number;
  participants: number;
  duplicateOf: { id: string; organiserName: string } | null;
  duplicateCount: number;
  organiser: { id: string; name: string };
  coorganisers: { id: string; name: string }[];
  can: { edit: boolean };
  files?: { id: string; fileName: string; mime: string; isImage: boolean }[];
}

interface CoverageRowOut {
  jurisdictionId: string;
  name: string;
  personTimes: number;
  activities: number;
  residents: number | null;
  populationSource: string | null;
  coverage: number | null;
  status: string;
}

/**
 * 科普活动: who records, edits and reads (a clerk its own unit's, the county's admin all of the county, the city
 * reads, another county sees nothing), what is refused (dates, coordinates outside the box, participants), joint
 * activities counted once (and the next report counted when the counted one goes), coverage against residents
 * (missing population shown as missing), the public calendar and evidence judged by content.
 */
describeEachDialect('activities (科普活动), joint counting, coverage and the public calendar', (env) => {
  const cookie: Partial<Record<Actor, string>> = {};
  let fengxian = '';
  let peixian = '';
  let city = '';
  let fxUnit = '';
  let fxUnit2 = '';
  let cityAdminId = '';
  const today = dateIn('Asia/Shanghai');

  const base = (overrides: Record<string, unknown> = {}) => ({
    title: '科技活动周 科普讲座',
    place: '丰县科技馆',
    startDate: '2025-05-20',
    endDate: '2025-05-21',
    mode: 'offline',
    participants: 300,
    countingMethod: '签到',
    populations: ['youth'],
    campaign: '科技活动周',
    ...overrides,
  });

  const create = async (who: Actor, body: Record<string, unknown>) =>
    call(env().app, cookie[who]!, 'POST', '/api/v1/activities', body);

  const coverage = async (who: Actor, jurisdictionId: string, year: number) => {
    const r = await call(
      env().app,
      cookie[who]!,
      'GET',
      `/api/v1/coverage?jurisdictionId=${jurisdictionId}&year=${year}`,
    );
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { rows: CoverageRowOut[]; total: CoverageRowOut; target: number; caveat: string };
  };

  const addPopulation = async (year: number, dimension: string, level: string, population: number) => {
    await env()
      .db.kysely.insertInto('population_margins')
      .values({
        id: newId(),
        year,
        dimension,
        level,
        population,
        source: '测试：县统计局公报',
        sort_order: 0,
        updated_by: null,
        updated_at: new Date().toISOString(),
      })
      .execute();
  };

  beforeAll(async () => {
    const e = env();
    const cityAdmin = await e.makeUser('admin');
    cookie.city = cityAdmin.cookie;
    cityAdminId = cityAdmin.id;
    cookie.leader = (await e.makeUser('leader')).cookie;
    const fx = await countyAdmin(e, cookie.city, '丰县');
    fengxian = fx.jurisdictionId;
    cookie.fengxian = fx.cookie;
    const px = await countyAdmin(e, cookie.city, '沛县');
    peixian = px.jurisdictionId;
    cookie.peixian = px.cookie;
    const places = (await call(e.app, cookie.city, 'GET', '/api/v1/jurisdictions')).json().items as {
      id: string;
      name: string;
      parentId: string | null;
    }[];
    city = places.find((p) => p.parentId === null)!.id;
    for (const [name, set] of [
      ['丰县科协', (id: string) => (fxUnit = id)],
      ['丰县教育局', (id: string) => (fxUnit2 = id)],
    ] as const) {
      const made = await call(e.app, cookie.fengxian, 'POST', '/api/v1/units', {
        kind: 'department',
        name,
        shortName: name,
        aliases: [],
      });
      expect(made.statusCode, made.body).toBe(201);
      set(made.json().id);
    }
    cookie.fxClerk = (await e.makeUser('reporter', { unitId: fxUnit, jurisdictionId: fengxian })).cookie;
    cookie.fxClerk2 = (await e.makeUser('reporter', { unitId: fxUnit2, jurisdictionId: fengxian })).cookie;
  });

  it('lets a clerk record its own unit’s activity, the county admin edit it, the city read it, another county not', async () => {
    const app = env().app;
    const made = await create('fxClerk', base({ coorganiserUnitIds: [fxUnit2] }));
    expect(made.statusCode, made.body).toBe(201);
    const a = made.json() as ActivityOut;
    expect(a.organiser.id).toBe(fxUnit);
    expect(a.coorganisers.map((c) => c.id)).toEqual([fxUnit2]);
    expect(a.year).toBe(2025);
    expect(a.can.edit).toBe(true);

    // Reads: the county, the city (level above) and a leader read; another county does not even see it.
    for (const [who, status] of [
      ['fengxian', 200],
      ['city', 200],
      ['leader', 200],
      ['fxClerk2', 200],
      ['peixian', 404],
    ] as const) {
      const r = await call(app, cookie[who]!, 'GET', `/api/v1/activities/${a.id}`);
      expect(r.statusCode, `${who} ${r.body}`).toBe(status);
    }
    const cityView = (
      await call(app, cookie.city!, 'GET', `/api/v1/activities/${a.id}`)
    ).json() as ActivityOut;
    expect(cityView.can.edit).toBe(false);

    // Writes: another unit's clerk, the city and a leader may not; the county's admin may.
    const put = (who: Actor, version: number, changes: Record<string, unknown> = {}) =>
      call(app, cookie[who]!, 'PUT', `/api/v1/activities/${a.id}`, {
        ...base({ coorganiserUnitIds: [fxUnit2], ...changes }),
        version,
      });
    expect((await put('fxClerk2', a.version)).statusCode).toBe(403);
    expect((await put('city', a.version)).statusCode).toBe(403);
    expect((await put('leader', a.version)).statusCode).toBe(403);
    expect((await put('peixian', a.version)).statusCode).toBe(404);
    const byAdmin = await put('fengxian', a.version, { participants: 320 });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(byAdmin.json().participants).toBe(320);
    // The version read is stale now: 409, nothing written.
    const stale = await put('fxClerk', a.version, { participants: 999 });
    expect(stale.statusCode).toBe(409);
    expect((await call(app, cookie.fxClerk!, 'GET', `/api/v1/activities/${a.id}`)).json().participants).toBe(
      320,
    );

    // Lists: the county's activities for the county and the city; another county's list does not hold it.
    const listed = (who: Actor, query = '') =>
      call(app, cookie[who]!, 'GET', `/api/v1/activities?pageSize=100${query}`);
    const ids = async (who: Actor, query = '') =>
      ((await listed(who, query)).json().items as ActivityOut[]).map((x) => x.id);
    expect(await ids('fengxian')).toContain(a.id);
    expect(await ids('city', `&jurisdictionId=${fengxian}`)).toContain(a.id);
    expect(await ids('peixian')).not.toContain(a.id);
    expect((await listed('peixian', `&jurisdictionId=${fengxian}`)).statusCode).toBe(404);
    // Filters: a co-organiser's unit finds it; another year does not.
    expect(await ids('city', `&unitId=${fxUnit2}`)).toContain(a.id);
    expect(await ids('city', '&year=2024')).not.toContain(a.id);
    expect(await ids('city', '&q=讲座')).toContain(a.id);

    // Recording: a clerk for another unit, a leader, a county's clerk in another county: refused.
    expect((await create('fxClerk', base({ organiserUnitId: fxUnit2 }))).statusCode).toBe(403);
    expect((await create('leader', base())).statusCode).toBe(403);
    expect((await create('fxClerk', base({ jurisdictionId: peixian }))).statusCode).toBe(400);
    // The county admin names a unit of its own county; not one of the city's.
    const cityUnit = (await env().makeUnit()).id;
    expect((await create('fengxian', base({ organiserUnitId: cityUnit }))).statusCode).toBe(400);
    expect((await create('fengxian', base())).statusCode).toBe(400); // no organiser named
    // Delete: only who edits.
    expect((await call(app, cookie.city!, 'DELETE', `/api/v1/activities/${a.id}`)).statusCode).toBe(403);
    expect((await call(app, cookie.fxClerk!, 'DELETE', `/api/v1/activities/${a.id}`)).statusCode).toBe(204);
    expect((await call(app, cookie.fxClerk!, 'GET', `/api/v1/activities/${a.id}`)).statusCode).toBe(404);
  });

  it('refuses impossible dates, coordinates outside the jurisdiction and bad participants, writing nothing', async () => {
    const before = await env().db.kysely.selectFrom('activities').select('id').execute();
    const refused: [string, Record<string, unknown>][] = [
      ['end before start', { startDate: '2025-05-21', endDate: '2025-05-20' }],
      ['not a day', { startDate: '2025-02-29', endDate: '2025-03-01' }],
      ['only a longitude', { longitude: 116.6 }],
      ['outside 徐州 (Nanjing)', { longitude: 118.8, latitude: 32.06 }],
      ['negative participants', { participants: -1 }],
      ['fractional participants', { participants: 10.5 }],
      ['unknown campaign', { campaign: '全民运动会' }],
      ['empty title', { title: '  ' }],
    ];
    for (const [why, changes] of refused) {
      const r = await create('fxClerk', base(changes));
      expect(r.statusCode, `${why}: ${r.body}`).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
      expect(r.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await env().db.kysely.selectFrom('activities').select('id').execute()).toHaveLength(before.length);
    // Inside the city's box (丰县 has none of its own: its nearest ancestor's is used).
    const inside = await create('fxClerk', base({ title: '坐标测试', longitude: 116.6, latitude: 34.7 }));
    expect(inside.statusCode, inside.body).toBe(201);
    expect(inside.json()).toMatchObject({ longitude: 116.6, latitude: 34.7 });
    // A county's own box wins over the city's.
    await env()
      .db.kysely.updateTable('jurisdictions')
      .set({ min_lng: 116.4, max_lng: 116.9, min_lat: 34.5, max_lat: 34.9 })
      .where('id', '=', fengxian)
      .execute();
    expect((await create('fxClerk', base({ longitude: 117.2, latitude: 34.3 }))).statusCode).toBe(400);
    await env()
      .db.kysely.updateTable('jurisdictions')
      .set({ min_lng: null, max_lng: null, min_lat: null, max_lat: null })
      .where('id', '=', fengxian)
      .execute();
    await call(env().app, cookie.fxClerk!, 'DELETE', `/api/v1/activities/${inside.json().id}`);
  });

  it('counts a joint activity reported by two units once, and the other report when the counted one is deleted', async () => {
    const app = env().app;
    const year = 2024;
    const first = await create(
      'fxClerk',
      base({
        title: '全国科普日 主场活动',
        place: '丰县 人民广场',
        startDate: '2024-09-20',
        endDate: '2024-09-20',
        participants: 1000,
      }),
    );
    expect(first.statusCode, first.body).toBe(201);
    // The same activity as the second unit typed it: full-width letters, other spaces and punctuation.
    const second = await create(
      'fxClerk2',
      base({
        title: '全国科普日主场活动！',
        place: '丰县人民广场。',
        startDate: '2024-09-20',
        endDate: '2024-09-21',
        participants: 800,
      }),
    );
    expect(second.statusCode, second.body).toBe(201);
    const a = first.json() as ActivityOut;
    const b = second.json() as ActivityOut;
    expect(a.duplicateOf).toBeNull();
    expect(b.duplicateOf).toMatchObject({ id: a.id, organiserName: '丰县科协' });
    const aNow = (
      await call(app, cookie.fxClerk!, 'GET', `/api/v1/activities/${a.id}`)
    ).json() as ActivityOut;
    expect(aNow.duplicateCount).toBe(1);
    // Another day is another activity.
    const other = await create(
      'fxClerk2',
      base({
        title: '全国科普日主场活动',
        place: '丰县人民广场',
        startDate: '2024-09-21',
        endDate: '2024-09-21',
        participants: 50,
      }),
    );
    expect(other.json().duplicateOf).toBeNull();

    let cov = await coverage('fengxian', fengxian, year);
    expect(cov.total.personTimes).toBe(1050);
    expect(cov.total.activities).toBe(2);
    // The list marks the duplicate and can leave it out.
    const all = (await call(app, cookie.fengxian!, 'GET', '/api/v1/activities?year=2024')).json();
    expect(all.total).toBe(3);
    const counted = (
      await call(app, cookie.fengxian!, 'GET', '/api/v1/activities?year=2024&includeDuplicates=false')
    ).json();
    expect(counted.total).toBe(2);
    // The export: the list's filters, every row, the joint report saying where it counts.
    const xlsx = await env().app.inject({
      method: 'GET',
      url: '/api/v1/activities/export?year=2024&format=xlsx',
      headers: { cookie: cookie.fengxian! },
    });
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent('2024年科普活动'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const rows = [2, 3, 4].map((n) => sheet.getRow(n));
    expect(sheet.actualRowCount).toBe(4);
    const joint = rows.find(
      (row) =>
        row.getCell(col('主办单位')).value === '丰县教育局' && row.getCell(col('参与人次')).value === 800,
    )!;
    expect(joint.getCell(col('计入')).value).toBe('联合活动，已计入丰县科协的报告');
    expect(rows.map((row) => row.getCell(col('参与人次')).value).sort()).toEqual([1000, 50, 800]);
    const csv = await env().app.inject({
      method: 'GET',
      url: '/api/v1/activities/export?year=2024&format=csv&includeDuplicates=false',
      headers: { cookie: cookie.fengxian! },
    });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body.trim().split('\n')).toHaveLength(3);
    expect(csv.body).toContain('全国科普日 主场活动');
    // Another county's admin cannot export 丰县's.
    const foreign = await call(
      app,
      cookie.peixian!,
      'GET',
      `/api/v1/activities/export?jurisdictionId=${fengxian}`,
    );
    expect(foreign.statusCode).toBe(404);

    // The counted report goes: the other unit's report of the same activity counts now.
    expect((await call(app, cookie.fxClerk!, 'DELETE', `/api/v1/activities/${a.id}`)).statusCode).toBe(204);
    const bNow = (
      await call(app, cookie.fxClerk2!, 'GET', `/api/v1/activities/${b.id}`)
    ).json() as ActivityOut;
    expect(bNow.duplicateOf).toBeNull();
    cov = await coverage('fengxian', fengxian, year);
    expect(cov.total.personTimes).toBe(850);

    // Renaming a report takes it out of a group: a third report joins b; b renamed leaves, the third counts.
    const third = await create(
      'fengxian',
      base({
        organiserUnitId: fxUnit,
        title: '全国科普日主场活动',
        place: '丰县人民广场',
        startDate: '2024-09-20',
        endDate: '2024-09-20',
        participants: 5,
      }),
    );
    expect(third.json().duplicateOf).toMatchObject({ id: b.id });
    const renamed = await call(app, cookie.fxClerk2!, 'PUT', `/api/v1/activities/${b.id}`, {
      ...base({
        title: '科普日分会场',
        place: '丰县人民广场',
        startDate: '2024-09-20',
        endDate: '2024-09-21',
        participants: 800,
      }),
      version: bNow.version,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().duplicateOf).toBeNull();
    expect(
      (await call(app, cookie.fengxian!, 'GET', `/api/v1/activities/${third.json().id}`)).json().duplicateOf,
    ).toBeNull();
    cov = await coverage('fengxian', fengxian, year);
    expect(cov.total.personTimes).toBe(855);
  });

  it('exports 40,000 activities in one file (more ids than a statement binds) and refuses more than the limit with the count', async () => {
    const { db } = env();
    const year = 2019;
    const n = 40_000;
    const now = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < n; i += 500) {
      const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => {
        const id = newId();
        ids.push(id);
        return {
          id,
          jurisdiction_id: fengxian,
          organiser_unit_id: fxUnit,
          title: `批量活动${i + k}`,
          theme: null,
          campaign: null,
          place: '丰县',
          longitude: null,
          latitude: null,
          start_date: '2019-03-01',
          end_date: '2019-03-01',
          year,
          mode: 'offline',
          populations_json: '[]',
          participants: 10,
          counting_method: null,
          summary: null,
          dedupe_key: `bulk-${i + k}`,
          duplicate_of: null,
          version: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
          demo_batch_id: null,
        };
      });
      await db.kysely.insertInto('activities').values(rows).execute();
    }
    // A co-organiser on the first and the last activity: their names must reach the file from the first and the last part.
    await db.kysely
      .insertInto('activity_coorganisers')
      .values([
        { activity_id: ids[0]!, unit_id: fxUnit2 },
        { activity_id: ids[n - 1]!, unit_id: fxUnit2 },
      ])
      .execute();
    try {
      const csv = await env().app.inject({
        method: 'GET',
        url: `/api/v1/activities/export?year=${year}&format=csv`,
        headers: { cookie: cookie.fengxian! },
      });
      expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
      const lines = csv.body.trim().split('\r\n');
      expect(lines).toHaveLength(n + 1);
      expect(lines.filter((l) => l.includes('丰县教育局'))).toHaveLength(2);
      // More than the limit: refused with the count, nothing cut short without a word.
      const user = await currentUser(db.kysely, cityAdminId);
      const ctx = { user, requestId: null, ip: null };
      const refused = await exportActivities(
        db.kysely,
        ctx,
        { year, includeDuplicates: true },
        'xlsx',
        n - 1,
      ).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('PAYLOAD_TOO_LARGE');
      expect((refused as AppError).message).toBe(
        `符合条件的活动有 ${n} 条，超过一次导出的上限 ${n - 1} 条，请先按年度、地区或主办单位筛选`,
      );
    } finally {
      await db.kysely
        .deleteFrom('activity_coorganisers')
        .where('activity_id', 'in', [ids[0]!, ids[n - 1]!])
        .execute();
      await db.kysely.deleteFrom('activities').where('year', '=', year).execute();
    }
  }, 120_000);

  it('gives coverage per county against residents: the exact share when known, missing (never 0 or 100%) when not', async () => {
    const year = 2023;
    const db = env().db.kysely;
    const fxGov = await db
      .selectFrom('jurisdictions as j')
      .innerJoin('units as u', 'u.id', 'j.government_unit_id')
      .select(['u.name', 'u.short_name'])
      .where('j.id', '=', fengxian)
      .executeTakeFirstOrThrow();
    await addPopulation(year, 'county', fxGov.short_name, 1000);
    await addPopulation(year, 'total', '合计', 9083790);
    expect(
      (await create('fxClerk', base({ startDate: '2023-03-01', endDate: '2023-03-01', participants: 600 })))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await create(
          'fxClerk2',
          base({
            title: '老年人防诈骗科普',
            startDate: '2023-06-01',
            endDate: '2023-06-02',
            participants: 250,
          }),
        )
      ).statusCode,
    ).toBe(201);
    const px = await countyAdmin(env(), cookie.city!, '沛县');
    const pxUnit = await call(env().app, px.cookie, 'POST', '/api/v1/units', {
      kind: 'department',
      name: '沛县科协',
      shortName: '沛县科协',
      aliases: [],
    });
    const pxClerk = await env().makeUser('reporter', { unitId: pxUnit.json().id, jurisdictionId: peixian });
    expect(
      (
        await call(
          env().app,
          pxClerk.cookie,
          'POST',
          '/api/v1/activities',
          base({ place: '沛县文化馆', startDate: '2023-04-01', endDate: '2023-04-01', participants: 400 }),
        )
      ).statusCode,
    ).toBe(201);

    const cov = await coverage('city', city, year);
    expect(cov.target).toBe(0.8);
    expect(cov.caveat).toMatch(/人次/);
    const fx = cov.rows.find((r) => r.jurisdictionId === fengxian)!;
    expect(fx).toMatchObject({
      personTimes: 850,
      activities: 2,
      residents: 1000,
      populationSource: '测试：县统计局公报',
      status: 'ok',
    });
    expect(fx.coverage).toBeCloseTo(0.85, 12);
    const pxRow = cov.rows.find((r) => r.jurisdictionId === peixian)!;
    expect(pxRow).toMatchObject({
      personTimes: 400,
      residents: null,
      coverage: null,
      status: 'missing_population',
    });
    expect(cov.total).toMatchObject({
      jurisdictionId: city,
      personTimes: 1250,
      residents: 9083790,
      status: 'below',
    });
    expect(cov.total.coverage).toBeCloseTo(1250 / 9083790, 15);
    // A county: itself as the total, no rows; another county's coverage is not found.
    const own = await coverage('fengxian', fengxian, year);
    expect(own.rows).toEqual([]);
    expect(own.total).toMatchObject({ personTimes: 850, residents: 1000, status: 'ok' });
    expect(
      (
        await call(
          env().app,
          cookie.peixian!,
          'GET',
          `/api/v1/coverage?jurisdictionId=${fengxian}&year=${year}`,
        )
      ).statusCode,
    ).toBe(404);
    // Below the target.
    expect((await coverage('city', city, 2022)).rows.find((r) => r.jurisdictionId === fengxian)!.status).toBe(
      'missing_population',
    );
  });

  it('shows the public upcoming counted activities only: no past, no duplicate, no counts', async () => {
    const app = env().app;
    const soon = plusDays(today, 10);
    const upcoming = await create(
      'fxClerk',
      base({ title: '青少年科学营', place: '丰县实验小学', startDate: soon, endDate: soon }),
    );
    expect(upcoming.statusCode, upcoming.body).toBe(201);
    const dup = await create(
      'fxClerk2',
      base({ title: '青少年科学营', place: '丰县实验小学', startDate: soon, endDate: plusDays(soon, 1) }),
    );
    expect(dup.json().duplicateOf).not.toBeNull();
    const past = await create(
      'fxClerk',
      base({ title: '已结束的讲座', startDate: plusDays(today, -5), endDate: plusDays(today, -3) }),
    );
    expect(past.statusCode).toBe(201);
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/public/activities?jurisdictionId=${fengxian}`,
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as {
      today: string;
      items: Record<string, unknown>[];
      jurisdictions: { id: string }[];
    };
    expect(body.today).toBe(today);
    const ids = body.items.map((i) => i.id);
    expect(ids).toContain(upcoming.json().id);
    expect(ids).not.toContain(dup.json().id);
    expect(ids).not.toContain(past.json().id);
    for (const item of body.items) {
      expect(item).not.toHaveProperty('participants');
      expect(item).not.toHaveProperty('countingMethod');
      expect(item).not.toHaveProperty('organiser');
    }
    expect(body.jurisdictions.map((j) => j.id)).toContain(peixian);
    // Another county's calendar does not list 丰县's.
    const px = await app.inject({
      method: 'GET',
      url: `/api/v1/public/activities?jurisdictionId=${peixian}`,
    });
    expect((px.json().items as { id: string }[]).map((i) => i.id)).not.toContain(upcoming.json().id);
  });

  it('stores photos and documents judged by their content, for readers to download, and refuses the rest', async () => {
    const e = env();
    const made = await create('fxClerk', base({ title: '附件测试' }));
    const id = made.json().id as string;
    const send = (who: Actor, name: string, content: Uint8Array) => {
      const body = multipartBody(name, content);
      return e.app.inject({
        method: 'POST',
        url: `/api/v1/activities/${id}/files`,
        headers: { origin: ORIGIN, cookie: cookie[who]!, ...body.headers },
        payload: body.payload,
      });
    };
    const png = await send('fxClerk', '现场.png', TINY_PNG);
    expect(png.statusCode, png.body).toBe(201);
    expect(png.json()).toMatchObject({ fileName: '现场.png', mime: 'image/png', isImage: true });
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic'),
      Buffer.alloc(64),
    ]);
    const heicUp = await send('fxClerk', 'IMG_0001.HEIC', heic);
    expect(heicUp.statusCode, heicUp.body).toBe(201);
    expect(heicUp.json().mime).toBe('image/heic');
    expect((await send('fxClerk', '签到表.pdf', TINY_PDF)).statusCode).toBe(201);

    // Refused by content, whatever the name says.
    for (const [name, content] of [
      ['photo.jpg', Buffer.from('#!/bin/sh\nrm -rf /\n')],
      ['photo.png', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0])],
      ['现场.jpg', TINY_PNG],
      ['动图.gif', Buffer.from('GIF89a\x01\x00\x01\x00')],
      ['clip.mp4', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(32)])],
    ] as const) {
      const r = await send('fxClerk', name, content);
      expect(r.statusCode, `${name}: ${r.body}`).toBe(415);
      expect(r.json().error.code).toBe('ATTACHMENT_REFUSED');
    }
    // Only who edits uploads.
    expect((await send('city', 'a.png', TINY_PNG)).statusCode).toBe(403);
    expect((await send('peixian', 'a.png', TINY_PNG)).statusCode).toBe(404);

    const rows = await e.db.kysely
      .selectFrom('activity_files')
      .selectAll()
      .where('activity_id', '=', id)
      .execute();
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.storage_path.startsWith('activity-files/')).toBe(true);

    const detail = (await call(e.app, cookie.city!, 'GET', `/api/v1/activities/${id}`)).json() as ActivityOut;
    expect(detail.files!.map((f) => f.fileName)).toEqual(['现场.png', 'IMG_0001.heic', '签到表.pdf']);
    const fileId = png.json().id as string;
    const down = await call(e.app, cookie.city!, 'GET', `/api/v1/activities/${id}/files/${fileId}`);
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(down.rawPayload, TINY_PNG)).toBe(0);
    expect(
      (await call(e.app, cookie.peixian!, 'GET', `/api/v1/activities/${id}/files/${fileId}`)).statusCode,
    ).toBe(404);
    expect((await call(e.app, null, 'GET', `/api/v1/activities/${id}/files/${fileId}`)).statusCode).toBe(401);

    expect(
      (await call(e.app, cookie.city!, 'DELETE', `/api/v1/activities/${id}/files/${fileId}`)).statusCode,
    ).toBe(403);
    expect(
      (await call(e.app, cookie.fxClerk!, 'DELETE', `/api/v1/activities/${id}/files/${fileId}`)).statusCode,
    ).toBe(204);
    expect(
      (await call(e.app, cookie.city!, 'GET', `/api/v1/activities/${id}/files/${fileId}`)).statusCode,
    ).toBe(404);
    // Deleting the activity takes its files with it, rows and bytes.
    expect((await call(e.app, cookie.fxClerk!, 'DELETE', `/api/v1/activities/${id}`)).statusCode).toBe(204);
    expect(
      await e.db.kysely.selectFrom('activity_files').selectAll().where('activity_id', '=', id).execute(),
    ).toEqual([]);
    const audit = await e.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'activity.create',
        'activity.file.add',
        'activity.file.remove',
        'activity.delete',
      ]),
    );
  });
});
