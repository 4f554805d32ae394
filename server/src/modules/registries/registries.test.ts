import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../../test/env';
import { jurisdictionIds } from '../../test/jurisdictions-factory';
import { call, multipart } from '../../test/reporting-factory';

interface Rec {
  id: string;
  name: string;
  status: string;
  version: number;
  canEdit: boolean;
  jurisdictionName: string;
  unitName: string;
  parentName: string | null;
}

/**
 * The registries (issue 13): who reads and edits (unit, admin, the level above, a sibling county), the kinds' rules
 * (dates, expiry order, levels, coordinates inside the jurisdiction's box), status as of a date, all-or-nothing
 * import, export, volunteer services, optimistic concurrency, history and the public venue list.
 */
describeEachDialect('registries', (env) => {
  let city = '';
  let clerkA = '';
  let clerkB = '';
  let unitA = { id: '', name: '' };
  let leader = '';
  let fengAdmin = '';
  let fengClerk = '';
  let peiAdmin = '';
  let ids = new Map<string, string>();

  const base = {
    level: '市级',
    recognisedOn: '2023-05-01',
    address: '徐州市云龙区和平路 1 号',
    longitude: 117.2,
    latitude: 34.26,
    openToPublic: true,
    openingHours: '周二至周日 9:00—17:00',
  };

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    leader = (await e.makeUser('leader')).cookie;
    ids = await jurisdictionIds(e, city);
    unitA = await e.makeUnit();
    clerkA = (await e.makeUser('reporter', { unitId: unitA.id })).cookie;
    clerkB = (await e.makeUser('reporter')).cookie;
    const feng = ids.get('丰县')!;
    const pei = ids.get('沛县')!;
    fengAdmin = (await e.makeUser('admin', { jurisdictionId: feng })).cookie;
    peiAdmin = (await e.makeUser('admin', { jurisdictionId: pei })).cookie;
    const fengUnit = await e.makeUnit({ jurisdictionId: feng });
    fengClerk = (await e.makeUser('reporter', { unitId: fengUnit.id, jurisdictionId: feng })).cookie;
  });

  it('a unit edits its own records, another unit only reads them, the admin edits all; stale versions are refused', async () => {
    const { app } = env();
    const made = await call(app, clerkA, 'POST', '/api/v1/registries/science_base', {
      name: '徐州科技馆基地',
      ...base,
    });
    expect(made.statusCode, made.body).toBe(201);
    const rec = made.json() as Rec;
    expect(rec).toMatchObject({
      status: '在册',
      jurisdictionName: '徐州市',
      unitName: unitA.name,
      canEdit: true,
    });

    const asB = await call(app, clerkB, 'GET', `/api/v1/registries/science_base/${rec.id}`);
    expect(asB.statusCode).toBe(200);
    expect(asB.json().canEdit).toBe(false);
    const putB = await call(app, clerkB, 'PUT', `/api/v1/registries/science_base/${rec.id}`, {
      name: '改名',
      ...base,
      version: rec.version,
    });
    expect(putB.statusCode).toBe(403);
    expect(
      (await call(app, leader, 'POST', '/api/v1/registries/science_base', { name: '领导', ...base }))
        .statusCode,
    ).toBe(403);

    const putAdmin = await call(app, city, 'PUT', `/api/v1/registries/science_base/${rec.id}`, {
      name: '徐州市科普教育基地（科技馆）',
      ...base,
      level: '省级',
      version: rec.version,
    });
    expect(putAdmin.statusCode, putAdmin.body).toBe(200);
    expect(putAdmin.json().version).toBe(rec.version + 1);
    const stale = await call(app, clerkA, 'PUT', `/api/v1/registries/science_base/${rec.id}`, {
      name: '旧版本',
      ...base,
      version: rec.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toMatch(/已被他人修改/);

    const history = await call(app, clerkB, 'GET', `/api/v1/registries/science_base/${rec.id}/history`);
    expect(history.statusCode).toBe(200);
    const items = history.json().items as {
      action: string;
      at: string;
      changes: { field: string; after: string }[];
    }[];
    expect(items.map((i) => i.action)).toEqual(['登记', '修改']);
    expect(items[1]!.changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: '级别', after: '省级' })]),
    );
    expect(items[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    // Other counties see nothing of the city's records: 404 for a forged id, absent from their list.
    expect((await call(app, fengAdmin, 'GET', `/api/v1/registries/science_base/${rec.id}`)).statusCode).toBe(
      404,
    );
    const fengList = await call(app, fengAdmin, 'GET', '/api/v1/registries/science_base?pageSize=100');
    expect((fengList.json().items as Rec[]).some((r) => r.id === rec.id)).toBe(false);
    expect(
      (
        await call(
          app,
          fengAdmin,
          'GET',
          `/api/v1/registries/science_base?jurisdictionId=${ids.get('徐州市')}`,
        )
      ).statusCode,
    ).toBe(404);
  });

  it('the city reads a county’s records but does not edit them; a sibling county sees nothing', async () => {
    const { app } = env();
    const made = await call(app, fengClerk, 'POST', '/api/v1/registries/demo_school', {
      name: '丰县实验小学',
      level: '市级',
      recognisedOn: '2024-09-01',
    });
    expect(made.statusCode, made.body).toBe(201);
    const rec = made.json() as Rec;
    expect(rec.jurisdictionName).toBe('丰县');
    const read = await call(app, city, 'GET', `/api/v1/registries/demo_school/${rec.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().canEdit).toBe(false);
    const cityList = await call(
      app,
      city,
      'GET',
      `/api/v1/registries/demo_school?jurisdictionId=${ids.get('丰县')}`,
    );
    expect((cityList.json().items as Rec[]).map((r) => r.id)).toContain(rec.id);
    const body = { name: '丰县实验小学', level: '省级', recognisedOn: '2024-09-01', version: rec.version };
    expect((await call(app, city, 'PUT', `/api/v1/registries/demo_school/${rec.id}`, body)).statusCode).toBe(
      403,
    );
    expect((await call(app, peiAdmin, 'GET', `/api/v1/registries/demo_school/${rec.id}`)).statusCode).toBe(
      404,
    );
    expect(
      (await call(app, peiAdmin, 'PUT', `/api/v1/registries/demo_school/${rec.id}`, body)).statusCode,
    ).toBe(404);
    expect(
      (await call(app, fengAdmin, 'PUT', `/api/v1/registries/demo_school/${rec.id}`, body)).statusCode,
    ).toBe(200);
    // A county clerk registers in its own county only; a county admin cannot register in the city.
    const up = await call(app, fengClerk, 'POST', '/api/v1/registries/demo_school', {
      name: '越级',
      level: '市级',
      recognisedOn: '2024-09-01',
      jurisdictionId: ids.get('徐州市'),
    });
    expect(up.statusCode).toBe(404);
  });

  it('checks dates, expiry order, levels of the kind, numbers and coordinates inside the box', async () => {
    const { app } = env();
    const post = (kind: string, body: object) =>
      call(app, clerkA, 'POST', `/api/v1/registries/${kind}`, body);
    const msg = (r: Awaited<ReturnType<typeof post>>) => {
      expect(r.statusCode, r.body).toBe(400);
      return r.json().error as { message: string; details: { fields: { path: string; message: string }[] } };
    };
    expect(
      msg(await post('demo_school', { name: '甲', level: '县级', recognisedOn: '2024-01-01' })).message,
    ).toBe('科学教育综合示范学校的级别只能是省级、市级，不能是县级');
    expect(
      msg(await post('demo_school', { name: '甲', level: '省级', recognisedOn: '2025-02-29' })).details
        .fields[0]!.path,
    ).toBe('body.recognisedOn');
    expect(msg(await post('science_base', { name: '甲', ...base, expiresOn: '2023-01-01' })).message).toMatch(
      /复核到期（2023-01-01）应晚于认定日期（2023-05-01）/,
    );
    expect(
      msg(
        await post('science_base', { name: '甲', ...base, withdrawnOn: '2022-01-01', withdrawnReason: '测' }),
      ).message,
    ).toMatch(/不能早于认定日期/);
    expect(
      msg(await post('science_base', { name: '甲', ...base, longitude: 120.1, latitude: 31.2 })).message,
    ).toBe('坐标（经度 120.1，纬度 31.2）不在徐州市范围内');
    expect(msg(await post('science_base', { ...base, name: '甲', latitude: null })).message).toMatch(
      /同时填写/,
    );
    expect(
      msg(
        await post('training', {
          name: '培训',
          category: '科技辅导员',
          recognisedOn: '2025-03-01',
          quantity: -1,
        }),
      ).details.fields[0]!.path,
    ).toBe('body.quantity');
    expect(
      msg(await post('training', { name: '培训', category: '科技辅导员', recognisedOn: '2025-03-01' }))
        .message,
    ).toBe('请填写参训人数');
    expect(
      msg(await post('training', { name: '培训', category: '厨师', recognisedOn: '2025-03-01', quantity: 3 }))
        .message,
    ).toMatch(/培训类别只能是/);
    expect(
      msg(
        await post('competition', {
          name: '竞赛',
          level: '市级',
          recognisedOn: '2025-03-01',
          longitude: 117,
          latitude: 34,
        }),
      ).message,
    ).toMatch(/不填写该项/);

    // A county's own box applies to its records (the city admin sets it; a county admin cannot set the city's).
    const jl = (await call(app, city, 'GET', '/api/v1/jurisdictions')).json().items as {
      id: string;
      name: string;
      version: number;
    }[];
    const feng = jl.find((j) => j.name === '丰县')!;
    const xz = jl.find((j) => j.name === '徐州市')!;
    const bounds = { minLng: 116.3, maxLng: 116.9, minLat: 34.5, maxLat: 34.9 };
    expect(
      (
        await call(app, fengAdmin, 'PUT', `/api/v1/jurisdictions/${xz.id}/bounds`, {
          bounds,
          version: xz.version,
        })
      ).statusCode,
    ).toBe(403);
    const set = await call(app, city, 'PUT', `/api/v1/jurisdictions/${feng.id}/bounds`, {
      bounds,
      version: feng.version,
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().bounds).toEqual(bounds);
    const outside = await call(app, fengClerk, 'POST', '/api/v1/registries/science_base', {
      name: '乙',
      ...base,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.message).toBe('坐标（经度 117.2，纬度 34.26）不在丰县范围内');
    const inside = await call(app, fengClerk, 'POST', '/api/v1/registries/science_base', {
      name: '丰县科普馆',
      ...base,
      longitude: 116.6,
      latitude: 34.7,
    });
    expect(inside.statusCode, inside.body).toBe(201);
  });

  it('judges status as of a date: in force, expired, withdrawn (摘牌 counts from its day)', async () => {
    const { app } = env();
    const mk = async (name: string, extra: object) => {
      const r = await call(app, clerkA, 'POST', '/api/v1/registries/stem_base', { name, ...extra });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as Rec;
    };
    await mk('甲基地', { level: '省级', recognisedOn: '2020-01-01', expiresOn: '2022-12-31' });
    const b = await mk('乙基地', { level: '市级', recognisedOn: '2021-03-01' });
    await mk('丙基地', { level: '市级', recognisedOn: '2024-01-01' });
    const w = await call(app, clerkA, 'POST', `/api/v1/registries/stem_base/${b.id}/withdraw`, {
      withdrawnOn: '2023-06-01',
      reason: '复核不合格',
      version: b.version,
    });
    expect(w.statusCode, w.body).toBe(200);
    const again = await call(app, clerkA, 'POST', `/api/v1/registries/stem_base/${b.id}/withdraw`, {
      withdrawnOn: '2023-07-01',
      reason: '再次',
      version: w.json().version,
    });
    expect(again.statusCode).toBe(409);
    // An edit that does not mention the withdrawal keeps it.
    const edited = await call(app, clerkA, 'PUT', `/api/v1/registries/stem_base/${b.id}`, {
      name: '乙基地',
      level: '市级',
      recognisedOn: '2021-03-01',
      version: w.json().version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ withdrawnOn: '2023-06-01', status: '已摘牌' });
    const names = async (q: string) => {
      const r = await call(app, city, 'GET', `/api/v1/registries/stem_base?${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as Rec[]).map((x) => `${x.name}:${x.status}`).sort();
    };
    expect(await names('status=in_force&asOf=2022-06-30')).toEqual(['乙基地:在册', '甲基地:在册']);
    expect(await names('status=in_force&asOf=2023-06-01')).toEqual([]);
    expect(await names('status=in_force&asOf=2023-05-31')).toEqual(['乙基地:在册']);
    expect(await names('status=expired&asOf=2023-01-01')).toEqual(['甲基地:已到期']);
    expect(await names('status=withdrawn&asOf=2025-12-31')).toEqual(['乙基地:已摘牌']);
    expect(await names('status=all&asOf=2022-06-30')).toEqual([
      '丙基地:未生效',
      '乙基地:在册',
      '甲基地:在册',
    ]);
    expect(await names('status=in_force&asOf=2025-12-31&level=市级')).toEqual(['丙基地:在册']);
    expect(await names('year=2021')).toEqual(['乙基地:已摘牌']);
    expect(await names('recognisedFrom=2021-01-01&status=all&asOf=2025-12-31')).toEqual([
      '丙基地:在册',
      '乙基地:已摘牌',
    ]);
    expect(await names('q=丙')).toEqual(['丙基地:在册']);
    const page = await call(app, city, 'GET', '/api/v1/registries/stem_base?pageSize=2&page=2');
    expect(page.json()).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.json().items).toHaveLength(1);
  });

  it('imports all rows or none, with row errors; exports the list', async () => {
    const { app, db } = env();
    const tpl = await app.inject({
      method: 'GET',
      url: '/api/v1/registries/training/template',
      headers: { cookie: city },
    });
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('登记表')!;
    const headers = (ws.getRow(1).values as string[]).slice(1);
    expect(headers.slice(0, 6)).toEqual([
      '培训名称*',
      '所属行政区划',
      '登记单位',
      '培训类别*',
      '举办日期*',
      '参训人数*',
    ]);
    const row = (values: Record<string, string | number>) =>
      headers.map((h) => values[h.replace(/\*$/, '')] ?? null);
    const good = {
      培训名称: '2025 年科技辅导员培训班',
      登记单位: unitA.name,
      培训类别: '科技辅导员',
      举办日期: '2025-04-10',
      参训人数: 120,
      学时: 16,
      主办单位: '市科协',
    };
    // Rows 2… as a person fills them (the template's drop-downs reach row 501).
    const put = (n: number, values: (string | number | null)[]) => {
      ws.getRow(n).values = values;
    };
    put(2, row(good));
    put(
      3,
      row({
        ...good,
        培训名称: '高素质农民培训',
        所属行政区划: '丰县',
        培训类别: '高素质农民',
        登记单位: '不存在的单位',
      }),
    );
    put(4, row({ ...good, 培训名称: '坏日期', 举办日期: '2025-02-30' }));
    const bad = Buffer.from(await wb.xlsx.writeBuffer());
    const count = async () =>
      Number(
        (
          await db.kysely
            .selectFrom('resources')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('kind', '=', 'training')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const upload = (buf: Buffer) => {
      const body = multipart('培训.xlsx', buf);
      return app.inject({
        method: 'POST',
        url: '/api/v1/registries/training/import',
        headers: { origin: ORIGIN, cookie: city, ...body.headers },
        payload: body.payload,
      });
    };
    const refused = await upload(bad);
    expect(refused.statusCode, refused.body).toBe(400);
    const rows = refused.json().error.details.rows as { row: number; message: string }[];
    expect(rows.map((r) => r.row)).toEqual([3, 4]);
    expect(rows[0]!.message).toMatch(/^第 3 行：登记单位“不存在的单位”/);
    expect(rows[1]!.message).toMatch(/^第 4 行：举办日期/);
    expect(await count()).toBe(before);

    put(
      3,
      row({ ...good, 培训名称: '第二期', 举办日期: new Date('2025-05-10T00:00:00Z') as unknown as string }),
    );
    put(4, row({}));
    const ok = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ imported: 2 });
    expect(await count()).toBe(before + 2);
    const csv = await app.inject({
      method: 'GET',
      url: '/api/v1/registries/training/export?format=csv&year=2025',
      headers: { cookie: city },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const text = csv.body;
    expect(text).toContain('2025 年科技辅导员培训班');
    expect(text).toContain('第二期');
    expect(text).toContain('参训人数');
    const xlsx = await app.inject({
      method: 'GET',
      url: '/api/v1/registries/training/export?format=xlsx',
      headers: { cookie: leader },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
  });

  it('keeps volunteers under teams with service records; refuses deleting what is referenced', async () => {
    const { app } = env();
    const team = await call(app, clerkA, 'POST', '/api/v1/registries/volunteer_team', {
      name: '科普志愿服务队',
      recognisedOn: '2024-01-01',
      quantity: 30,
    });
    expect(team.statusCode, team.body).toBe(201);
    const base = await call(app, clerkA, 'POST', '/api/v1/registries/expert_team', {
      name: '专家团',
      recognisedOn: '2024-01-01',
    });
    const wrong = await call(app, clerkA, 'POST', '/api/v1/registries/volunteer', {
      name: '张三',
      parentId: base.json().id,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toMatch(/所属服务队应是科技志愿服务队/);
    const v = await call(app, clerkA, 'POST', '/api/v1/registries/volunteer', {
      name: '张三',
      recognisedOn: '2024-03-01',
      parentId: team.json().id,
    });
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json().parentName).toBe('科普志愿服务队');
    const vid = v.json().id as string;
    for (const [servedOn, hours] of [
      ['2024-09-15', 3.5],
      ['2025-05-20', 2],
    ] as const) {
      const s = await call(app, clerkA, 'POST', `/api/v1/registries/volunteer/${vid}/services`, {
        servedOn,
        hours,
        description: '科普日讲解',
      });
      expect(s.statusCode, s.body).toBe(201);
    }
    expect(
      (
        await call(app, clerkB, 'POST', `/api/v1/registries/volunteer/${vid}/services`, {
          servedOn: '2025-01-01',
          hours: 1,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await call(app, clerkA, 'POST', `/api/v1/registries/volunteer/${vid}/services`, {
          servedOn: '2023-01-01',
          hours: 1,
        })
      ).statusCode,
    ).toBe(400);
    const list = await call(app, clerkB, 'GET', `/api/v1/registries/volunteer/${vid}/services`);
    expect(list.json().totalHours).toBe(5.5);
    const detail = await call(app, clerkA, 'GET', `/api/v1/registries/volunteer/${vid}`);
    expect(detail.json()).toMatchObject({ totalHours: 5.5, parentName: '科普志愿服务队' });
    expect(detail.json().services).toHaveLength(2);
    const byTeam = await call(app, clerkA, 'GET', `/api/v1/registries/volunteer?parentId=${team.json().id}`);
    expect(byTeam.json().total).toBe(1);

    expect(
      (await call(app, clerkA, 'DELETE', `/api/v1/registries/volunteer_team/${team.json().id}`)).statusCode,
    ).toBe(409);
    const delV = await call(app, clerkA, 'DELETE', `/api/v1/registries/volunteer/${vid}`);
    expect(delV.statusCode).toBe(409);
    expect(delV.json().error.message).toMatch(/2 条服务记录/);
    expect(
      (await call(app, clerkB, 'DELETE', `/api/v1/registries/expert_team/${base.json().id}`)).statusCode,
    ).toBe(403);
    expect(
      (await call(app, clerkA, 'DELETE', `/api/v1/registries/expert_team/${base.json().id}`)).statusCode,
    ).toBe(200);
    expect(
      (await call(app, clerkA, 'GET', `/api/v1/registries/expert_team/${base.json().id}`)).statusCode,
    ).toBe(404);
    // The kind in the address must be the record's.
    expect((await call(app, clerkA, 'GET', `/api/v1/registries/science_base/${vid}`)).statusCode).toBe(404);
  });

  it('lists open venues in force today to the public', async () => {
    const { app } = env();
    const open = await call(app, clerkA, 'POST', '/api/v1/registries/science_museum', {
      name: '徐州市科技馆',
      level: '市级',
      recognisedOn: '2010-01-01',
      address: '新城区',
      longitude: 117.3,
      latitude: 34.2,
      openToPublic: true,
      openingHours: '9:00—17:00',
    });
    expect(open.statusCode, open.body).toBe(201);
    await call(app, clerkA, 'POST', '/api/v1/registries/science_museum', {
      name: '内部场馆',
      recognisedOn: '2010-01-01',
      openToPublic: false,
    });
    const gone = await call(app, clerkA, 'POST', '/api/v1/registries/science_base', {
      name: '已摘牌基地',
      ...base,
    });
    await call(app, clerkA, 'POST', `/api/v1/registries/science_base/${gone.json().id}/withdraw`, {
      withdrawnOn: '2024-01-01',
      reason: '停止开放',
      version: 1,
    });
    const r = await app.inject({ method: 'GET', url: '/api/v1/public/venues' });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as {
      name: string;
      kindLabel: string;
      jurisdictionName: string;
      longitude: number | null;
    }[];
    const names = items.map((i) => i.name);
    expect(names).toContain('徐州市科技馆');
    expect(names).not.toContain('内部场馆');
    expect(names).not.toContain('已摘牌基地');
    expect(items.find((i) => i.name === '徐州市科技馆')).toMatchObject({
      kindLabel: '科技馆',
      jurisdictionName: '徐州市',
      longitude: 117.3,
    });
    const feng = await app.inject({
      method: 'GET',
      url: `/api/v1/public/venues?jurisdictionId=${ids.get('丰县')}`,
    });
    expect((feng.json().items as { name: string }[]).map((i) => i.name)).not.toContain('徐州市科技馆');
  });
});
