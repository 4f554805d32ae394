import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { call } from '../../test/reporting-factory';

/**
 * 表彰奖励: the awarding level's admin records (proposed, or confirmed at once), edits, confirms or rejects, publishes
 * and deletes; proposals from the assessment ranking arrive as one transaction; the public sees confirmed and
 * published records only. Staff of the level read; a county sees its own level's records, not the city's (404).
 */
describeEachDialect('recognitions (表彰奖励)', (env) => {
  let city = '';
  let cityId = '';
  let feng = { cookie: '', jurisdictionId: '' };
  let leader = '';
  let reporter = '';
  let unitId = '';

  const record = (overrides: Record<string, unknown> = {}) => ({
    jurisdictionId: cityId,
    year: 2026,
    recipientKind: 'collective',
    recipientName: '丰县科学技术协会',
    recipientJurisdictionId: feng.jurisdictionId,
    level: '市级',
    title: '全民科学素质工作先进集体',
    reason: '年度考核成绩突出',
    docNumber: '徐科协〔2026〕12号',
    awardedOn: '2026-03-01',
    ...overrides,
  });

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    const ids = await jurisdictionIds(e, city);
    cityId = ids.get('徐州市')!;
    feng = await countyAdmin(e, city, '丰县');
    leader = (await e.makeUser('leader', { jurisdictionId: cityId })).cookie;
    unitId = (await e.makeUnit()).id;
    reporter = (await e.makeUser('reporter', { unitId })).cookie;
  });

  it('records, confirms, publishes; the public sees confirmed and published records only', async () => {
    const app = env().app;
    const created = await call(app, city, 'POST', '/api/v1/recognitions', record());
    expect(created.statusCode, created.body).toBe(200);
    const r = created.json();
    expect(r).toMatchObject({
      state: 'proposed',
      isPublished: false,
      recipientJurisdictionName: '丰县',
      jurisdictionName: '徐州市',
      canEdit: true,
      version: 1,
    });
    // Not public while proposed, and a proposal cannot be published.
    expect((await call(app, null, 'GET', '/api/v1/public/recognitions')).json().items).toEqual([]);
    expect(
      (await call(app, city, 'POST', `/api/v1/recognitions/${r.id}/publish`, { version: 1 })).statusCode,
    ).toBe(409);
    const confirmed = await call(app, city, 'POST', `/api/v1/recognitions/${r.id}/confirm`, { version: 1 });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ state: 'confirmed', version: 2 });
    expect(
      (await call(app, city, 'POST', `/api/v1/recognitions/${r.id}/confirm`, { version: 2 })).statusCode,
    ).toBe(409);
    // A stale version is a conflict.
    expect(
      (await call(app, city, 'POST', `/api/v1/recognitions/${r.id}/publish`, { version: 1 })).statusCode,
    ).toBe(409);
    const published = await call(app, city, 'POST', `/api/v1/recognitions/${r.id}/publish`, { version: 2 });
    expect(published.statusCode, published.body).toBe(200);
    const open = await call(app, null, 'GET', '/api/v1/public/recognitions?year=2026');
    expect(open.statusCode).toBe(200);
    expect(open.json().years).toEqual([2026]);
    expect(open.json().items).toEqual([
      {
        id: r.id,
        jurisdictionName: '徐州市',
        year: 2026,
        recipientKind: 'collective',
        recipientName: '丰县科学技术协会',
        level: '市级',
        title: '全民科学素质工作先进集体',
        reason: '年度考核成绩突出',
        docNumber: '徐科协〔2026〕12号',
        awardedOn: '2026-03-01',
      },
    ]);

    // Open data: the year's published recognitions of the awarding level.
    const entry = (await call(app, null, 'GET', '/api/v1/public/open-data'))
      .json()
      .items.find((d: { dataset: string }) => d.dataset === 'recognitions');
    expect(entry.periods.map((p: { period: string }) => p.period)).toEqual(['2026']);
    const table = (await call(app, null, 'GET', entry.latest.json)).json();
    expect(table.rows).toEqual([
      {
        recipient: '丰县科学技术协会',
        kind: '集体',
        title: '全民科学素质工作先进集体',
        level: '市级',
        reason: '年度考核成绩突出',
        docNumber: '徐科协〔2026〕12号',
        awardedOn: '2026-03-01',
      },
    ]);

    // Edit (with its version), then take it off the public site.
    const { jurisdictionId: _j, ...fields } = record({ title: '全民科学素质工作先进单位' });
    const edited = await call(app, city, 'PUT', `/api/v1/recognitions/${r.id}`, { ...fields, version: 3 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().title).toBe('全民科学素质工作先进单位');
    const off = await call(app, city, 'POST', `/api/v1/recognitions/${r.id}/unpublish`, { version: 4 });
    expect(off.statusCode, off.body).toBe(200);
    expect((await call(app, null, 'GET', '/api/v1/public/recognitions')).json().items).toEqual([]);
  });

  it('creates proposals in one transaction: one bad candidate and none is written', async () => {
    const app = env().app;
    const candidate = (name: string, extra: Record<string, unknown> = {}) => ({
      recipientKind: 'collective',
      jurisdictionId: feng.jurisdictionId,
      recipientName: name,
      title: '全民科学素质工作先进集体',
      reason: '2026年度考核优秀',
      sourceText: '2026年度考核第1名',
      sourceRef: 'assessment:2026:1',
      ...extra,
    });
    const before = (await call(app, city, 'GET', '/api/v1/recognitions?state=proposed')).json().total;
    const bad = await call(app, city, 'POST', '/api/v1/recognitions/proposals', {
      jurisdictionId: cityId,
      year: 2026,
      candidates: [
        candidate('丰县'),
        candidate('不存在的单位', { jurisdictionId: null, unitId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }),
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect((await call(app, city, 'GET', '/api/v1/recognitions?state=proposed')).json().total).toBe(before);

    const ok = await call(app, city, 'POST', '/api/v1/recognitions/proposals', {
      jurisdictionId: cityId,
      year: 2026,
      candidates: [candidate('丰县'), candidate('市科协', { jurisdictionId: null, unitId })],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const items = ok.json().items as {
      state: string;
      level: string;
      sourceRef: string;
      unitId: string | null;
    }[];
    expect(items.map((i) => [i.state, i.level, i.sourceRef])).toEqual([
      ['proposed', '市级', 'assessment:2026:1'],
      ['proposed', '市级', 'assessment:2026:1'],
    ]);
    expect(items[1]!.unitId).toBe(unitId);
    const list = await call(app, leader, 'GET', '/api/v1/recognitions?state=proposed&year=2026');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(before + 2);
    expect(list.json().items.every((i: { canEdit: boolean }) => !i.canEdit)).toBe(true);

    // Reject one; delete the other.
    const [a, b] = ok.json().items as { id: string; version: number }[];
    const rejected = await call(app, city, 'POST', `/api/v1/recognitions/${a!.id}/reject`, { version: 1 });
    expect(rejected.json().state).toBe('rejected');
    expect((await call(app, city, 'DELETE', `/api/v1/recognitions/${b!.id}`)).statusCode).toBe(200);
    expect((await call(app, city, 'DELETE', `/api/v1/recognitions/${b!.id}`)).statusCode).toBe(404);
    const csv = await call(app, city, 'GET', '/api/v1/recognitions/export?format=csv&year=2026');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('全民科学素质工作先进单位');
    expect(csv.body).toContain('未通过');
  });

  it('keeps the policy: the awarding level writes, its staff read, a county sees its own level only', async () => {
    const app = env().app;
    const mine = await call(app, city, 'POST', '/api/v1/recognitions', record({ recipientName: '沛县' }));
    const id = mine.json().id as string;
    // A county admin: the city's record does not exist for it; its own level's works.
    expect(
      (await call(app, feng.cookie, 'POST', `/api/v1/recognitions/${id}/confirm`, { version: 1 })).statusCode,
    ).toBe(404);
    expect((await call(app, feng.cookie, 'DELETE', `/api/v1/recognitions/${id}`)).statusCode).toBe(404);
    expect(
      (await call(app, feng.cookie, 'GET', `/api/v1/recognitions?jurisdictionId=${cityId}`)).statusCode,
    ).toBe(404);
    expect((await call(app, feng.cookie, 'POST', '/api/v1/recognitions', record())).statusCode).toBe(404);
    const county = await call(
      app,
      feng.cookie,
      'POST',
      '/api/v1/recognitions',
      record({
        jurisdictionId: feng.jurisdictionId,
        level: '县级',
        recipientName: '丰县科技馆',
        recipientJurisdictionId: null,
        confirmed: true,
      }),
    );
    expect(county.statusCode, county.body).toBe(200);
    expect(county.json().state).toBe('confirmed');
    const countyList = await call(app, feng.cookie, 'GET', '/api/v1/recognitions');
    expect(countyList.json().items.map((i: { recipientName: string }) => i.recipientName)).toEqual([
      '丰县科技馆',
    ]);
    // The city reads the county's records (below it) and may not change them.
    const cityList = await call(app, city, 'GET', '/api/v1/recognitions?level=县级');
    expect(cityList.json().items.map((i: { recipientName: string }) => i.recipientName)).toEqual([
      '丰县科技馆',
    ]);
    expect(
      (await call(app, city, 'POST', `/api/v1/recognitions/${county.json().id}/publish`, { version: 1 }))
        .statusCode,
    ).toBe(403);
    // Leaders read and do not write; reporters do neither.
    expect((await call(app, leader, 'POST', '/api/v1/recognitions', record())).statusCode).toBe(403);
    expect((await call(app, reporter, 'GET', '/api/v1/recognitions')).statusCode).toBe(403);
    expect((await call(app, null, 'GET', '/api/v1/recognitions')).statusCode).toBe(401);
    // A recipient county outside the awarding level is refused.
    const other = await call(
      app,
      feng.cookie,
      'POST',
      '/api/v1/recognitions',
      record({ jurisdictionId: feng.jurisdictionId, level: '县级', recipientJurisdictionId: cityId }),
    );
    expect(other.statusCode).toBe(400);
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'recognition.%')
      .execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set([
        'recognition.create',
        'recognition.confirm',
        'recognition.publish',
        'recognition.update',
        'recognition.unpublish',
        'recognition.propose',
        'recognition.reject',
        'recognition.delete',
      ]),
    );
  });
});
