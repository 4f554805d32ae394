import { expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../test/env';

/**
 * A NUL character in any text: PostgreSQL answered 500 (it cannot store NUL in text), SQLite stored it. Both refuse it
 * now at the boundary with a 400 and write nothing.
 */
describeEachDialect('NUL characters at the boundary', (env) => {
  it('refuses NUL in an anonymous login, a JSON value, a JSON key and a query, writing nothing', async () => {
    const login = await env().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { username: 'adm\u0000in', password: 'x' },
    });
    expect(login.statusCode, login.body).toBe(400);
    expect(login.json().error.message).toContain('空字符');

    const { cookie } = await env().makeUser('admin');
    const created = await env().app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie, origin: ORIGIN },
      payload: { kind: 'department', name: '空字符\u0000单位', shortName: '空字符' },
    });
    expect(created.statusCode, created.body).toBe(400);
    const units = await env()
      .db.kysely.selectFrom('units')
      .select('id')
      .where('short_name', '=', '空字符')
      .execute();
    expect(units).toHaveLength(0);

    const key = await env().app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
      payload: '{"kind":"department","name":"键名单位","shortName":"键名","x\\u0000":1}',
    });
    expect(key.statusCode, key.body).toBe(400);

    const query = await env().app.inject({
      method: 'GET',
      url: '/api/v1/units?q=%E5%B8%82%00',
      headers: { cookie },
    });
    expect(query.statusCode, query.body).toBe(400);

    const ok = await env().app.inject({
      method: 'GET',
      url: '/api/v1/units?q=%E5%B8%82',
      headers: { cookie },
    });
    expect(ok.statusCode).toBe(200);
  });
});
