import { expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../../test/env';

describeEachDialect('audit log', (env) => {
  it('records who, when, what and the request id of each write, with before and after', async () => {
    const admin = await env().makeUser('admin');
    const unit = await env().makeUnit();
    const r = await env().app.inject({
      method: 'PATCH',
      url: `/api/v1/units/${unit.id}`,
      headers: { cookie: admin.cookie, origin: ORIGIN },
      payload: { shortName: '改过的简称', version: unit.version },
    });
    expect(r.statusCode).toBe(200);
    const log = await env().app.inject({
      url: `/api/v1/audit?entityType=unit&entityId=${unit.id}&action=unit.update`,
      headers: { cookie: admin.cookie },
    });
    const [entry] = log.json().items;
    expect(entry.actorId).toBe(admin.id);
    expect(entry.requestId).toMatch(/^[0-9A-Z]{26}$/);
    expect(entry.requestId).toBe(r.headers['x-request-id']);
    expect(entry.before.shortName).not.toBe('改过的简称');
    expect(entry.after.shortName).toBe('改过的简称');
    expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('writes no audit row when the write fails, and no change without its audit row', async () => {
    const admin = await env().makeUser('admin');
    const count = async () =>
      Number(
        (
          await env()
            .db.kysely.selectFrom('audit_log')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const dup = await env().app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie: admin.cookie, origin: ORIGIN },
      payload: { kind: 'department', name: '徐州市教育局', shortName: '重复' },
    });
    expect(dup.statusCode).toBe(409);
    expect(await count()).toBe(before);
  });

  it('offers no route to edit or delete audit rows', async () => {
    const admin = await env().makeUser('admin');
    const [row] = await env().db.kysely.selectFrom('audit_log').select('id').limit(1).execute();
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const r = await env().app.inject({
        method,
        url: `/api/v1/audit/${row?.id}`,
        headers: { cookie: admin.cookie, origin: ORIGIN },
        payload: {},
      });
      expect(r.statusCode).toBe(404);
    }
    const del = await env().app.inject({
      method: 'DELETE',
      url: '/api/v1/audit',
      headers: { cookie: admin.cookie, origin: ORIGIN },
    });
    expect(del.statusCode).toBe(404);
  });

  it('filters by time range and pages newest first', async () => {
    const admin = await env().makeUser('admin');
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const none = await env().app.inject({
      url: `/api/v1/audit?from=${future}`,
      headers: { cookie: admin.cookie },
    });
    expect(none.json().total).toBe(0);
    const page = await env().app.inject({
      url: '/api/v1/audit?pageSize=3',
      headers: { cookie: admin.cookie },
    });
    const ats = page.json().items.map((i: { at: string }) => i.at);
    expect(ats).toEqual([...ats].sort().reverse());
  });
});
