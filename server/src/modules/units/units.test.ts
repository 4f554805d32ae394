import { expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../../test/env';
import { XUZHOU_UNITS } from './units.seed';

describeEachDialect('units registry', (env) => {
  const req = async (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
    env().app.inject({ method, url, headers: { cookie, origin: ORIGIN }, ...(payload ? { payload } : {}) });

  it('is seeded with Xuzhou units and county codes on a new database', async () => {
    const { cookie } = await env().makeUser('leader');
    const r = await req('GET', '/api/v1/units?kind=county&pageSize=50', cookie);
    expect(r.statusCode).toBe(200);
    const counties = r.json().items as { shortName: string; regionCode: string }[];
    expect(counties).toHaveLength(10);
    expect(counties.find((c) => c.shortName === '泉山区')?.regionCode).toBe('320311');
    const all = await env()
      .db.kysely.selectFrom('units')
      .select('id')
      .where('sort_order', '<', 5000)
      .execute();
    expect(all).toHaveLength(XUZHOU_UNITS.length);
  });

  it('resolves a unit by full name, short name, alias and "等"', async () => {
    const { cookie } = await env().makeUser('leader');
    const names = ['市科协', '徐州市科学技术协会', '市科协等', ' 市科协 ', '纲要办'];
    const ids = new Set<string>();
    for (const name of names) {
      const r = await req('GET', `/api/v1/units/resolve?name=${encodeURIComponent(name)}`, cookie);
      expect(r.statusCode).toBe(200);
      ids.add(r.json().unit?.id);
    }
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeTruthy();
    const none = await req('GET', `/api/v1/units/resolve?name=${encodeURIComponent('市不存在局')}`, cookie);
    expect(none.json().unit).toBeNull();
  });

  it('searches and pages', async () => {
    const { cookie } = await env().makeUser('leader');
    const p1 = await req('GET', '/api/v1/units?pageSize=5&page=1', cookie);
    const p2 = await req('GET', '/api/v1/units?pageSize=5&page=2', cookie);
    expect(p1.json().items).toHaveLength(5);
    expect(p1.json().total).toBeGreaterThanOrEqual(XUZHOU_UNITS.length);
    expect(p2.json().items[0].id).not.toBe(p1.json().items[0].id);
    const q = await req('GET', `/api/v1/units?q=${encodeURIComponent('科学技术')}`, cookie);
    const names = q.json().items.map((u: { name: string }) => u.name);
    expect(names).toEqual(expect.arrayContaining(['徐州市科学技术局', '徐州市科学技术协会']));
    const wild = await req('GET', `/api/v1/units?q=${encodeURIComponent('%')}`, cookie);
    expect(wild.json().total).toBe(0);
  });

  it('creates, edits with optimistic concurrency, deactivates and re-activates a unit, all audited', async () => {
    const { cookie } = await env().makeUser('admin');
    const created = await req('POST', '/api/v1/units', cookie, {
      kind: 'zone',
      name: '徐州测试功能区管理委员会',
      shortName: '测试功能区',
      aliases: ['测试区'],
    });
    expect(created.statusCode).toBe(201);
    const unit = created.json();
    const edited = await req('PATCH', `/api/v1/units/${unit.id}`, cookie, {
      sortOrder: 3,
      version: unit.version,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().version).toBe(unit.version + 1);
    const stale = await req('PATCH', `/api/v1/units/${unit.id}`, cookie, {
      sortOrder: 4,
      version: unit.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT');
    const off = await req('POST', `/api/v1/units/${unit.id}/deactivate`, cookie, {
      version: edited.json().version,
    });
    expect(off.json().isActive).toBe(false);
    const hidden = await req('GET', `/api/v1/units?q=${encodeURIComponent('测试功能区')}`, cookie);
    expect(hidden.json().total).toBe(0);
    const on = await req('PATCH', `/api/v1/units/${unit.id}`, cookie, {
      isActive: true,
      version: off.json().version,
    });
    expect(on.json().isActive).toBe(true);
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .select(['action', 'request_id', 'actor_id'])
      .where('entity_id', '=', unit.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'unit.create',
      'unit.update',
      'unit.deactivate',
      'unit.update',
    ]);
    expect(audit.every((a) => a.request_id && a.actor_id)).toBe(true);
  });

  it('refuses a name or alias another unit answers to', async () => {
    const { cookie } = await env().makeUser('admin');
    const dupName = await req('POST', '/api/v1/units', cookie, {
      kind: 'department',
      name: '徐州市教育局',
      shortName: '新教育',
    });
    expect(dupName.statusCode).toBe(409);
    const dupAlias = await req('POST', '/api/v1/units', cookie, {
      kind: 'department',
      name: '某新单位',
      shortName: '某新',
      aliases: ['市科协'],
    });
    expect(dupAlias.statusCode).toBe(409);
    expect(dupAlias.json().error.code).toBe('DUPLICATE');
    expect(dupAlias.json().error.message).toContain('市科协');
  });

  it('merges two units: references follow, names become aliases, the source is kept inactive', async () => {
    const { cookie } = await env().makeUser('admin');
    const target = await env().makeUnit({ name: '徐州市合并目标局', shortName: '市目标局' });
    const source = await env().makeUnit({
      name: '徐州市被合并局',
      shortName: '市被并局',
      aliases: ['被并局'],
    });
    const reporter = await env().makeUser('reporter', { unitId: source.id });
    const r = await req('POST', `/api/v1/units/${target.id}/merge`, cookie, { sourceId: source.id });
    expect(r.statusCode).toBe(200);
    expect(r.json().aliases).toEqual(expect.arrayContaining(['徐州市被合并局', '市被并局', '被并局']));
    const user = await env()
      .db.kysely.selectFrom('users')
      .select('unit_id')
      .where('id', '=', reporter.id)
      .executeTakeFirstOrThrow();
    expect(user.unit_id).toBe(target.id);
    const src = await env()
      .db.kysely.selectFrom('units')
      .selectAll()
      .where('id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(src.is_active).toBe(0);
    expect(src.merged_into_id).toBe(target.id);
    const resolved = await req(
      'GET',
      `/api/v1/units/resolve?name=${encodeURIComponent('市被并局等')}`,
      cookie,
    );
    expect(resolved.json().unit.id).toBe(target.id);
    const again = await req('POST', `/api/v1/units/${target.id}/merge`, cookie, { sourceId: source.id });
    expect(again.statusCode).toBe(409);
    const self = await req('POST', `/api/v1/units/${target.id}/merge`, cookie, { sourceId: target.id });
    expect(self.statusCode).toBe(400);
  });
});
