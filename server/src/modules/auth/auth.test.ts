import { LIMITS } from '@kesu/shared';
import { expect, it } from 'vitest';
import { describeEachDialect, ORIGIN, PASSWORD } from '../../test/env';

describeEachDialect('sign-in and sessions', (env) => {
  const post = (url: string, payload: unknown, cookie?: string, headers: Record<string, string> = {}) =>
    env().app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...headers },
    });

  it('sets an HttpOnly, SameSite=Lax session cookie and answers /me', async () => {
    const { id } = await env().makeUser('leader', { username: 'cookie-user' });
    const res = await post('/api/v1/auth/login', { username: 'cookie-user', password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'kesu_session');
    expect(c).toBeDefined();
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe('Lax');
    expect(c?.path).toBe('/');
    expect(c?.secure).toBeFalsy();
    const me = await env().app.inject({
      url: '/api/v1/auth/me',
      headers: { cookie: `kesu_session=${c?.value}` },
    });
    expect(me.json()).toMatchObject({ id, role: 'leader', mustChangePassword: false });
  });

  it('never stores the session token itself', async () => {
    await env().makeUser('leader', { username: 'token-user' });
    const res = await post('/api/v1/auth/login', { username: 'token-user', password: PASSWORD });
    const token = res.cookies.find((x) => x.name === 'kesu_session')?.value ?? '';
    const rows = await env().db.kysely.selectFrom('sessions').select('id').execute();
    expect(token.length).toBeGreaterThan(30);
    expect(rows.some((r) => r.id === token)).toBe(false);
  });

  it(`locks the account after ${LIMITS.loginFailuresBeforeLock} wrong passwords, even for the right one`, async () => {
    await env().makeUser('analyst', { username: 'lock-me' });
    const codes: string[] = [];
    for (let i = 0; i < LIMITS.loginFailuresBeforeLock; i++) {
      const r = await post('/api/v1/auth/login', { username: 'lock-me', password: `wrong-${i}` }, undefined, {
        'x-forwarded-for': `10.0.0.${i}`,
      });
      codes.push(r.json().error.code);
    }
    expect(codes.slice(0, -1).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes.at(-1)).toBe('ACCOUNT_LOCKED');
    const right = await post('/api/v1/auth/login', { username: 'lock-me', password: PASSWORD });
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.lock')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('answers an unknown user and a wrong password alike', async () => {
    const a = await post('/api/v1/auth/login', { username: 'nobody-here', password: 'x' });
    await env().makeUser('leader', { username: 'known-user' });
    const b = await post('/api/v1/auth/login', { username: 'known-user', password: 'x' });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().error.message).toBe(b.json().error.message);
  });

  it('forces a password change before anything else, then revokes the other sessions', async () => {
    const { id } = await env().makeUser('leader', { username: 'must-change' });
    await env()
      .db.kysely.updateTable('users')
      .set({ must_change_password: 1 })
      .where('id', '=', id)
      .execute();
    const first = await env().login('must-change');
    const second = await env().login('must-change');
    const blocked = await env().app.inject({ url: '/api/v1/units', headers: { cookie: first } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    // Public pages stay open (a 404 here means "no such public page", not "change your password first").
    const publicRoute = await env().app.inject({
      url: '/api/v1/public/no-such-page',
      headers: { cookie: first },
    });
    expect(publicRoute.json().error?.code).not.toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await post(
      '/api/v1/auth/password',
      { currentPassword: PASSWORD, newPassword: 'short' },
      first,
    );
    expect(weak.statusCode).toBe(400);
    const wrongCurrent = await post(
      '/api/v1/auth/password',
      { currentPassword: 'not-it', newPassword: 'A-much-better-pass-99' },
      first,
    );
    expect(wrongCurrent.statusCode).toBe(401);
    const ok = await post(
      '/api/v1/auth/password',
      { currentPassword: PASSWORD, newPassword: 'A-much-better-pass-99' },
      first,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json().mustChangePassword).toBe(false);
    expect((await env().app.inject({ url: '/api/v1/units', headers: { cookie: first } })).statusCode).toBe(
      200,
    );
    expect((await env().app.inject({ url: '/api/v1/auth/me', headers: { cookie: second } })).statusCode).toBe(
      401,
    );
  });

  it('logs out and lists and revokes sessions', async () => {
    await env().makeUser('leader', { username: 'sessions-user' });
    const a = await env().login('sessions-user');
    const b = await env().login('sessions-user');
    const list = await env().app.inject({ url: '/api/v1/auth/sessions', headers: { cookie: a } });
    // makeUser signed in once too: three live sessions, one of them this request's.
    expect(list.json()).toHaveLength(3);
    const others = list.json().filter((s: { isCurrent: boolean }) => !s.isCurrent);
    expect(others).toHaveLength(2);
    for (const other of others) {
      const del = await env().app.inject({
        method: 'DELETE',
        url: `/api/v1/auth/sessions/${other.id}`,
        headers: { cookie: a, origin: ORIGIN },
      });
      expect(del.statusCode).toBe(200);
    }
    expect((await env().app.inject({ url: '/api/v1/auth/me', headers: { cookie: b } })).statusCode).toBe(401);
    const out = await post('/api/v1/auth/logout', {}, a);
    expect(out.statusCode).toBe(200);
    expect((await env().app.inject({ url: '/api/v1/auth/me', headers: { cookie: a } })).statusCode).toBe(401);
  });

  it('refuses a disabled account and ends its sessions', async () => {
    const admin = await env().makeUser('admin');
    const { id, cookie } = await env().makeUser('leader', { username: 'to-disable' });
    const user = await env().app.inject({
      url: '/api/v1/users?q=to-disable',
      headers: { cookie: admin.cookie },
    });
    const version = user.json().items[0].version;
    const r = await env().app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: { cookie: admin.cookie, origin: ORIGIN },
      payload: { isActive: false, version },
    });
    expect(r.statusCode).toBe(200);
    expect((await env().app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const again = await post('/api/v1/auth/login', { username: 'to-disable', password: PASSWORD });
    expect(again.json().error.code).toBe('ACCOUNT_DISABLED');
  });
});

describeEachDialect(
  'sign-in throttled per IP',
  (env) => {
    it(`refuses further attempts from an IP after ${LIMITS.loginFailuresPerIp} failures`, async () => {
      const tries = async () =>
        env().app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { origin: ORIGIN, 'x-forwarded-for': '203.0.113.9' },
          payload: { username: `spray-${Math.random()}`, password: 'guess' },
        });
      for (let i = 0; i < LIMITS.loginFailuresPerIp; i++) expect((await tries()).statusCode).toBe(401);
      const r = await tries();
      expect(r.statusCode).toBe(429);
      expect(r.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    });
  },
  { env: { TRUST_PROXY: 'true' } },
);

describeEachDialect(
  'cookie behind https',
  (env) => {
    it('sets the Secure flag when the request came over https', async () => {
      await env().makeUser('leader', { username: 'secure-user' });
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: {
          origin: 'https://kesu.example.cn',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'kesu.example.cn',
        },
        payload: { username: 'secure-user', password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'kesu_session')?.secure).toBe(true);
    });
  },
  { env: { TRUST_PROXY: 'true' } },
);
