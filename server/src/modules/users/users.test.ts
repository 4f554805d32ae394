import { expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../../test/env';

describeEachDialect('user accounts', (env) => {
  const req = async (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
    env().app.inject({ method, url, headers: { cookie, origin: ORIGIN }, ...(payload ? { payload } : {}) });

  it('creates a reporter bound to a unit with a one-time password that must be changed', async () => {
    const admin = await env().makeUser('admin');
    const unit = await env().makeUnit();
    const r = await req('POST', '/api/v1/users', admin.cookie, {
      username: 'zhang.san',
      displayName: '张三',
      role: 'reporter',
      unitId: unit.id,
    });
    expect(r.statusCode).toBe(201);
    const { user, oneTimePassword } = r.json();
    expect(user).toMatchObject({
      role: 'reporter',
      unitId: unit.id,
      unitName: unit.name,
      mustChangePassword: true,
    });
    expect(oneTimePassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{16}$/);
    const cookie = await env().login('zhang.san', oneTimePassword);
    const me = await env().app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json().mustChangePassword).toBe(true);
    const row = await env()
      .db.kysely.selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', user.id)
      .execute();
    expect(audit.some((a) => a.after_json?.includes(oneTimePassword))).toBe(false);
    expect(audit.some((a) => a.after_json?.includes('$argon2'))).toBe(false);
  });

  it('requires a unit for a reporter and none for other roles', async () => {
    const admin = await env().makeUser('admin');
    const unit = await env().makeUnit();
    const noUnit = await req('POST', '/api/v1/users', admin.cookie, {
      username: 'r1x',
      displayName: 'x',
      role: 'reporter',
    });
    expect(noUnit.statusCode).toBe(400);
    const leaderWithUnit = await req('POST', '/api/v1/users', admin.cookie, {
      username: 'l1x',
      displayName: 'x',
      role: 'leader',
      unitId: unit.id,
    });
    expect(leaderWithUnit.statusCode).toBe(400);
    const dup = await req('POST', '/api/v1/users', admin.cookie, {
      username: 'dupname',
      displayName: 'x',
      role: 'leader',
    });
    expect(dup.statusCode).toBe(201);
    const dup2 = await req('POST', '/api/v1/users', admin.cookie, {
      username: 'dupname',
      displayName: 'y',
      role: 'leader',
    });
    expect(dup2.statusCode).toBe(409);
  });

  it('resets a locked account: unlocked, new one-time password, old sessions ended', async () => {
    const admin = await env().makeUser('admin');
    const victim = await env().makeUser('leader', { username: 'locked-one' });
    await env()
      .db.kysely.updateTable('users')
      .set({ locked_until: new Date(Date.now() + 3_600_000).toISOString() })
      .where('id', '=', victim.id)
      .execute();
    const r = await req('POST', `/api/v1/users/${victim.id}/reset-password`, admin.cookie);
    expect(r.statusCode).toBe(200);
    expect(r.json().user.lockedUntil).toBeNull();
    expect(
      (await env().app.inject({ url: '/api/v1/auth/me', headers: { cookie: victim.cookie } })).statusCode,
    ).toBe(401);
    await env().login('locked-one', r.json().oneTimePassword);
  });

  it('keeps at least one active admin', async () => {
    const { cookie } = await env().makeUser('admin', { username: 'solo-admin' });
    // Disable every other admin first so this one is the last.
    const admins = await env()
      .db.kysely.selectFrom('users')
      .select(['id'])
      .where('role', '=', 'admin')
      .execute();
    const me = await env().app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    for (const a of admins) {
      if (a.id !== me.json().id)
        await env().db.kysely.updateTable('users').set({ is_active: 0 }).where('id', '=', a.id).execute();
    }
    const list = await req('GET', '/api/v1/users?q=solo-admin', cookie);
    const self = list.json().items[0];
    const demote = await req('PATCH', `/api/v1/users/${self.id}`, cookie, {
      role: 'leader',
      version: self.version,
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('INVALID_STATE');
    for (const a of admins)
      await env().db.kysely.updateTable('users').set({ is_active: 1 }).where('id', '=', a.id).execute();
  });

  it('lists users with search and filters', async () => {
    const admin = await env().makeUser('admin');
    await env().makeUser('analyst', { username: 'find-me-analyst' });
    const r = await req('GET', '/api/v1/users?q=find-me&role=analyst', admin.cookie);
    expect(r.json().items.map((u: { username: string }) => u.username)).toEqual(['find-me-analyst']);
  });
});
