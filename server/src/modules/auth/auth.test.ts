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
    // The right password of a disabled account answers like a wrong one (issue 8: no account enumeration).
    const again = await post('/api/v1/auth/login', { username: 'to-disable', password: PASSWORD });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('INVALID_CREDENTIALS');
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
  { env: { TRUST_PROXY: '127.0.0.1' } },
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
  { env: { TRUST_PROXY: '127.0.0.1' } },
);

/** Issue 8, items 4 and 5: counting beaten by concurrency, forged addresses, lockout as a weapon, enumeration. */
describeEachDialect(
  'sign-in throttling: atomic, per (account, address), alike for every account',
  (env) => {
    const login = (username: string, password: string, ip: string) =>
      env().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { origin: ORIGIN, 'x-forwarded-for': ip },
        payload: { username, password },
      });
    const checked = async (where: { username?: string; ip?: string }) => {
      let q = env().db.kysely.selectFrom('login_attempts').select('id').where('is_success', '=', 0);
      if (where.username) q = q.where('username', '=', where.username);
      if (where.ip) q = q.where('ip', '=', where.ip);
      return (await q.execute()).length;
    };

    it('30 wrong passwords in parallel: at most 5 are checked and the account is locked from that address', async () => {
      await env().makeUser('analyst', { username: 'race-me' });
      const ip = '198.51.100.30';
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => login('race-me', `wrong-${i}`, ip)),
      );
      expect(await checked({ username: 'race-me' })).toBeLessThanOrEqual(LIMITS.loginFailuresBeforeLock);
      // The rest are refused unchecked: 423 for the (account, address) lock, 429 past the address limit.
      expect(answers.filter((a) => a.statusCode === 401).length).toBeLessThanOrEqual(
        LIMITS.loginFailuresBeforeLock,
      );
      expect(answers.every((a) => [401, 423, 429].includes(a.statusCode))).toBe(true);
      expect(answers.filter((a) => a.statusCode === 423).length).toBeGreaterThan(0);
      expect([423, 429]).toContain((await login('race-me', PASSWORD, ip)).statusCode);
      // Another address is not locked out: the lock is not a weapon against the account's owner.
      expect((await login('race-me', PASSWORD, '198.51.100.31')).statusCode).toBe(200);
    });

    it(`40 failures in parallel from one address against a limit of ${LIMITS.loginFailuresPerIp}: at most 20 checked`, async () => {
      const ip = '198.51.100.40';
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => login(`spray-${i}`, 'guess', ip)),
      );
      expect(await checked({ ip })).toBeLessThanOrEqual(LIMITS.loginFailuresPerIp);
      expect(answers.filter((a) => a.statusCode === 429).length).toBe(40 - LIMITS.loginFailuresPerIp);
    });

    it('a forged leftmost X-Forwarded-For does not escape the address limit', async () => {
      const codes: number[] = [];
      for (let i = 0; i <= LIMITS.loginFailuresPerIp; i++) {
        codes.push((await login(`forge-${i}`, 'guess', `10.9.${i}.1, 203.0.113.77`)).statusCode);
      }
      expect(codes.at(-1)).toBe(429);
      const rows = await env()
        .db.kysely.selectFrom('login_attempts')
        .select('ip')
        .where('username', 'like', 'forge-%')
        .execute();
      expect(new Set(rows.map((r) => r.ip))).toEqual(new Set(['203.0.113.77']));
    });

    it('an unknown, an existing and a disabled account answer alike, lock alike', async () => {
      await env().makeUser('leader', { username: 'exists-1' });
      const admin = await env().makeUser('admin');
      const off = await env().makeUser('leader', { username: 'disabled-1' });
      await env().db.kysely.updateTable('users').set({ is_active: 0 }).where('id', '=', off.id).execute();
      void admin;
      const run = async (username: string, password: string, ip: string) => {
        const out: string[] = [];
        for (let i = 0; i < LIMITS.loginFailuresBeforeLock + 1; i++) {
          const r = await login(username, password, ip);
          out.push(`${r.statusCode} ${r.json().error.code} ${r.json().error.message}`);
        }
        return out;
      };
      const unknown = await run('nobody-at-all', 'guess-it', '198.51.100.50');
      const existing = await run('exists-1', 'guess-it', '198.51.100.51');
      const disabled = await run('disabled-1', PASSWORD, '198.51.100.52');
      expect(existing).toEqual(unknown);
      expect(disabled).toEqual(unknown);
      expect(unknown[0]).toMatch(/^401 INVALID_CREDENTIALS/);
      expect(unknown.at(-1)).toMatch(/^423 ACCOUNT_LOCKED/);
    });

    it('locks again for longer (back-off) and an admin reset ends the locks', async () => {
      await env().makeUser('analyst', { username: 'backoff-1' });
      const ip = '198.51.100.60';
      const lockFor = async () => {
        let r = await login('backoff-1', 'wrong', ip);
        for (let i = 1; i < LIMITS.loginFailuresBeforeLock; i++) r = await login('backoff-1', 'wrong', ip);
        expect(r.statusCode).toBe(423);
        return (Date.parse(r.json().error.details.lockedUntil) - Date.now()) / 60_000;
      };
      const first = await lockFor();
      expect(first).toBeGreaterThan(LIMITS.lockMinutes - 1);
      expect(first).toBeLessThanOrEqual(LIMITS.lockMinutes);
      // The first lock runs out.
      await env()
        .db.kysely.updateTable('login_throttle')
        .set({ locked_until: '2000-01-01T00:00:00.000Z', window_start: '2000-01-01T00:00:00.000Z' })
        .execute();
      const second = await lockFor();
      expect(second).toBeGreaterThan(2 * LIMITS.lockMinutes - 1);
      expect((await login('backoff-1', PASSWORD, ip)).statusCode).toBe(423);
      const { clearLoginLocks } = await import('../credentials/credentials.service');
      await clearLoginLocks(env().db.kysely, 'backoff-1');
      expect((await login('backoff-1', PASSWORD, ip)).statusCode).toBe(200);
    });
  },
  { env: { TRUST_PROXY: '127.0.0.1' } },
);
