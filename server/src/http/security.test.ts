import { expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../test/env';

describeEachDialect('request boundary', (env) => {
  it('refuses a state-changing request without an Origin or Referer', async () => {
    const { cookie } = await env().makeUser('admin');
    const r = await env().app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie },
      payload: {},
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('CSRF_REJECTED');
  });

  it('refuses a state-changing request from another origin, even with a valid session', async () => {
    const { cookie } = await env().makeUser('admin');
    for (const origin of ['https://evil.example', 'http://localhost:80.evil.example', 'null']) {
      const r = await env().app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: { cookie, origin },
        payload: { kind: 'department', name: '跨站单位', shortName: '跨站' },
      });
      expect(r.statusCode, origin).toBe(403);
      expect(r.json().error.code).toBe('CSRF_REJECTED');
    }
    const evilReferer = await env().app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, referer: 'https://evil.example/page' },
    });
    expect(evilReferer.statusCode).toBe(403);
    const units = await env()
      .db.kysely.selectFrom('units')
      .select('id')
      .where('name', '=', '跨站单位')
      .execute();
    expect(units).toHaveLength(0);
  });

  it('accepts a same-origin Referer when Origin is absent', async () => {
    const { cookie } = await env().makeUser('leader');
    const r = await env().app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, referer: `${ORIGIN}/units` },
    });
    expect(r.statusCode).toBe(200);
  });

  it('refuses a 10 MB JSON body with 413 and writes nothing', async () => {
    const { cookie } = await env().makeUser('admin');
    const before = await env().db.kysely.selectFrom('units').select('id').execute();
    const huge = JSON.stringify({ kind: 'department', name: 'x'.repeat(10 * 1024 * 1024), shortName: 'y' });
    const r = await env().app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
      payload: huge,
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const after = await env().db.kysely.selectFrom('units').select('id').execute();
    expect(after.length).toBe(before.length);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const { cookie } = await env().makeUser('admin');
    const r = await env().app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
      payload: '{"kind": "department", "name": ',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('MALFORMED_JSON');
    expect(r.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers a body that breaks the schema with VALIDATION_FAILED naming the field', async () => {
    const { cookie } = await env().makeUser('admin');
    const r = await env().app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie, origin: ORIGIN },
      payload: { kind: 'planet', name: '', shortName: 'x' },
    });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    const paths = body.error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.kind', 'body.name']));
  });

  it('answers forged ids with 400 and unknown ids with 404', async () => {
    const { cookie } = await env().makeUser('admin');
    const forged = await env().app.inject({ url: "/api/v1/units/1'%20or%201=1", headers: { cookie } });
    expect(forged.statusCode).toBe(400);
    const unknown = await env().app.inject({
      url: '/api/v1/units/01ARZ3NDEKTSV4RRFFQ69G5FAV',
      headers: { cookie },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
  });

  it('answers unknown API routes with a JSON 404 and health probes without a session', async () => {
    const r = await env().app.inject({ url: '/api/v1/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('NOT_FOUND');
    expect((await env().app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await env().app.inject({ url: '/readyz' });
    expect(ready.json()).toEqual({ status: 'ready', database: env().dialect });
  });

  it('publishes the OpenAPI document with every API route', async () => {
    const r = await env().app.inject({ url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const paths = Object.keys(r.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/units', '/api/v1/users', '/api/v1/audit', '/api/v1/auth/login']),
    );
  });

  it('sets protective headers', async () => {
    const r = await env().app.inject({ url: '/healthz' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });
});
