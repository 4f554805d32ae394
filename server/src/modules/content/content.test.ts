import { beforeAll, expect, it } from 'vitest';
import { newId, nowIso } from '../../ids';
import { describeEachDialect } from '../../test/env';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { call } from '../../test/reporting-factory';

interface Rec {
  title: string;
  reason: string;
}

const item = (over: Record<string, unknown> = {}) => ({
  title: '科普文章',
  summary: '一篇科普文章的摘要',
  url: 'https://www.kepu.gov.cn/a/1',
  themes: ['健康'],
  audiences: ['youth'],
  jurisdictionIds: [],
  publishedOn: '2026-01-10',
  ...over,
});

/**
 * 科普内容与精准推送: admins of any level publish content for their own subtree (links http/https only); the public
 * page recommends content and upcoming activities for a county and a group, matching both first, and says why.
 */
describeEachDialect('content and recommendations (精准推送)', (env) => {
  let city = '';
  let feng = { cookie: '', jurisdictionId: '' };
  let pei = { cookie: '', jurisdictionId: '' };
  let ids = new Map<string, string>();

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    ids = await jurisdictionIds(e, city);
    feng = await countyAdmin(e, city, '丰县');
    pei = await countyAdmin(e, city, '沛县');
  });

  it('lets admins publish for their own subtree only, with http/https links', async () => {
    const app = env().app;
    for (const url of ['javascript:alert(1)', 'ftp://x.cn/a', 'data:text/html,hi', 'www.example.com']) {
      const bad = await call(app, city, 'POST', '/api/v1/content', item({ url }));
      expect(bad.statusCode, url).toBe(400);
      expect(bad.body).toContain('http');
    }
    expect(
      (await call(app, city, 'POST', '/api/v1/content', item({ audiences: ['aliens'] }))).statusCode,
    ).toBe(400);
    expect(
      (
        await call(
          app,
          city,
          'POST',
          '/api/v1/content',
          item({ themes: Array.from({ length: 11 }, (_, i) => `主题${i}`) }),
        )
      ).statusCode,
    ).toBe(400);
    // A county may not aim at another county.
    const across = await call(
      app,
      feng.cookie,
      'POST',
      '/api/v1/content',
      item({ jurisdictionIds: [pei.jurisdictionId] }),
    );
    expect(across.statusCode).toBe(400);
    const reporter = (await env().makeUser('leader')).cookie;
    expect((await call(app, reporter, 'POST', '/api/v1/content', item())).statusCode).toBe(403);

    const made = await call(
      app,
      feng.cookie,
      'POST',
      '/api/v1/content',
      item({ title: '丰县的内容', url: null }),
    );
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    // The city reads it but does not edit it; another county does not see it.
    const seen = await call(app, city, 'GET', `/api/v1/content/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().canEdit).toBe(false);
    expect(
      (await call(app, city, 'PUT', `/api/v1/content/${id}`, { ...item(), version: 1 })).statusCode,
    ).toBe(403);
    expect((await call(app, city, 'DELETE', `/api/v1/content/${id}`)).statusCode).toBe(403);
    expect((await call(app, pei.cookie, 'GET', `/api/v1/content/${id}`)).statusCode).toBe(404);
    expect((await call(app, pei.cookie, 'DELETE', `/api/v1/content/${id}`)).statusCode).toBe(404);
    const listed = await call(app, city, 'GET', '/api/v1/content?q=丰县');
    expect(listed.json().items.map((i: { title: string }) => i.title)).toContain('丰县的内容');
    expect((await call(app, pei.cookie, 'GET', '/api/v1/content')).json().total).toBe(0);

    const edited = await call(app, feng.cookie, 'PUT', `/api/v1/content/${id}`, {
      ...item({ title: '改过' }),
      version: 1,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().version).toBe(2);
    expect(
      (await call(app, feng.cookie, 'PUT', `/api/v1/content/${id}`, { ...item(), version: 1 })).statusCode,
    ).toBe(409);
    expect((await call(app, feng.cookie, 'DELETE', `/api/v1/content/${id}`)).statusCode).toBe(200);
    expect((await call(app, feng.cookie, 'GET', `/api/v1/content/${id}`)).statusCode).toBe(404);
  });

  it('recommends by county and group, both first, then newest, each with its reason', async () => {
    const e = env();
    const app = e.app;
    const cityId = ids.get('徐州市')!;
    const post = async (cookie: string, over: Record<string, unknown>) => {
      const r = await call(app, cookie, 'POST', '/api/v1/content', item(over));
      expect(r.statusCode, r.body).toBe(201);
    };
    await post(city, { title: '全市青少年', audiences: ['youth'], publishedOn: '2026-03-01' });
    await post(city, { title: '全市老年人', audiences: ['elderly'], publishedOn: '2026-03-02' });
    await post(city, {
      title: '市里推给丰县青少年',
      audiences: ['youth'],
      jurisdictionIds: [feng.jurisdictionId],
      publishedOn: '2026-01-01',
    });
    await post(city, {
      title: '市里推给沛县青少年',
      audiences: ['youth'],
      jurisdictionIds: [pei.jurisdictionId],
      publishedOn: '2026-04-01',
    });
    await post(feng.cookie, {
      title: '丰县农民',
      audiences: ['farmers', 'public'],
      publishedOn: '2026-02-01',
    });
    await post(feng.cookie, { title: '丰县产业工人', audiences: ['workers'], publishedOn: '2026-02-02' });
    await post(feng.cookie, {
      title: '丰县青少年',
      audiences: ['youth', 'public'],
      publishedOn: '2025-12-01',
    });

    // Two upcoming activities and one past, one duplicate (a joint activity reported twice counts once).
    const unit = await e.makeUnit({ jurisdictionId: feng.jurisdictionId });
    const now = nowIso();
    const activity = (
      title: string,
      start: string,
      jurisdictionId: string,
      populations: string[],
      dup: string | null = null,
    ) => ({
      id: newId(),
      jurisdiction_id: jurisdictionId,
      organiser_unit_id: unit.id,
      title,
      theme: null,
      campaign: null,
      place: '文化广场',
      longitude: null,
      latitude: null,
      start_date: start,
      end_date: start,
      year: Number(start.slice(0, 4)),
      mode: 'offline',
      populations_json: JSON.stringify(populations),
      participants: 100,
      counting_method: null,
      summary: null,
      dedupe_key: `${start}|${title}`,
      duplicate_of: dup,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      demo_batch_id: null,
    });
    const first = activity('丰县青少年科技节', '2099-06-01', feng.jurisdictionId, ['youth']);
    await e.db.kysely
      .insertInto('activities')
      .values([
        first,
        activity('丰县青少年科技节', '2099-06-01', feng.jurisdictionId, ['youth'], first.id),
        activity('全市青少年机器人赛', '2099-05-01', cityId, ['youth']),
        activity('丰县农技讲座', '2099-04-01', feng.jurisdictionId, ['farmers']),
        activity('往年的活动', '2020-04-01', feng.jurisdictionId, ['youth']),
        // Demo activities are never public (the calendar's rule).
        {
          ...activity('演示的青少年活动', '2099-03-01', feng.jurisdictionId, ['youth']),
          demo_batch_id: 'demo',
        },
      ])
      .execute();

    const r = await call(
      app,
      '',
      'GET',
      `/api/v1/public/recommendations?jurisdictionId=${feng.jurisdictionId}&group=youth`,
    );
    expect(r.statusCode, r.body).toBe(200);
    const content = r.json().content as Rec[];
    expect(content.map((c) => c.title)).toEqual([
      '市里推给丰县青少年',
      '丰县青少年',
      '全市青少年',
      '丰县农民',
    ]);
    expect(content.map((c) => c.reason)).toEqual([
      '因为您选择了丰县和青少年',
      '因为您选择了丰县和青少年',
      '因为您选择了青少年',
      '因为您选择了丰县',
    ]);
    const acts = r.json().activities as Rec[];
    expect(acts.map((a) => a.title)).toEqual(['丰县青少年科技节', '全市青少年机器人赛']);
    expect(acts.map((a) => a.reason)).toEqual(['因为您选择了丰县和青少年', '因为您选择了青少年']);
    expect(r.body).not.toContain('offline');

    const elderly = await call(
      app,
      '',
      'GET',
      `/api/v1/public/recommendations?jurisdictionId=${pei.jurisdictionId}&group=elderly`,
    );
    expect((elderly.json().content as Rec[]).map((c) => c.title)).toEqual(['全市老年人']);
    expect(elderly.json().activities).toEqual([]);
    expect(
      (
        await call(
          app,
          '',
          'GET',
          `/api/v1/public/recommendations?jurisdictionId=${feng.jurisdictionId}&group=x`,
        )
      ).statusCode,
    ).toBe(400);
    const places = await call(app, '', 'GET', '/api/v1/public/recommendations/jurisdictions');
    expect(places.json().items.map((j: { name: string }) => j.name)).toContain('丰县');
  });
});
