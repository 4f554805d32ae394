import type { Role } from '@kesu/shared';
import { beforeAll, expect, it } from 'vitest';
import type { AuthUser } from '../../context';
import { describeEachDialect } from '../../test/env';
import { call } from '../../test/reporting-factory';
import { addDays, todayUtc } from './notice-state';
import {
  canHandleNotice,
  canIssueNotice,
  canReadAlerts,
  canReadNotice,
  canReviewNotice,
} from './supervision.policy';

type Who = Role | 'public' | 'reporterOfB';
const WHO: Who[] = ['public', 'admin', 'reporter', 'reporterOfB', 'leader', 'analyst'];
const NOTICE_OF_A = { unitId: 'A' };
/** Unit A is a unit of the root level J (owned by J's office, not a lower level's government unit). */
const SCOPE_A = { ownerId: 'J', ownerPath: '/J/', addresseeId: null };

/** Roles × actions on a notice addressed to unit A. `reporter` belongs to A, `reporterOfB` to B. */
const MATRIX: Record<string, { policy: (u: AuthUser | null) => boolean; allowed: Who[] }> = {
  issue: { policy: canIssueNotice, allowed: ['admin'] },
  'close/return': { policy: (u) => canReviewNotice(u, SCOPE_A), allowed: ['admin'] },
  'sign/reply/finish': { policy: (u) => canHandleNotice(u, NOTICE_OF_A, SCOPE_A), allowed: ['reporter'] },
  read: {
    policy: (u) => canReadNotice(u, NOTICE_OF_A, SCOPE_A),
    allowed: ['admin', 'reporter', 'leader', 'analyst'],
  },
  alerts: { policy: canReadAlerts, allowed: ['admin', 'leader', 'analyst'] },
};

function userOf(who: Who): AuthUser | null {
  if (who === 'public') return null;
  const role: Role = who === 'reporterOfB' ? 'reporter' : who;
  const unitId = who === 'reporter' ? 'A' : who === 'reporterOfB' ? 'B' : null;
  return {
    id: 'U',
    username: who,
    displayName: who,
    role,
    unitId,
    mustChangePassword: false,
    jurisdictionId: null,
    jurisdictionPath: null,
  };
}

it.each(Object.entries(MATRIX).flatMap(([action, row]) => WHO.map((who) => [action, who, row] as const)))(
  'policy %s for %s',
  (_action, who, row) => {
    expect(row.policy(userOf(who))).toBe(row.allowed.includes(who));
  },
);

it('a reporter without a unit handles nothing', () => {
  const u = { ...userOf('reporter')!, unitId: null };
  expect(canHandleNotice(u, NOTICE_OF_A, SCOPE_A)).toBe(false);
  expect(canReadNotice(u, NOTICE_OF_A, SCOPE_A)).toBe(false);
});

describeEachDialect('supervision over HTTP: roles × actions', (env) => {
  const cookies: Partial<Record<Who, string>> = {};
  let unitA = '';
  let noticeId = '';
  const deadline = addDays(todayUtc(), 5);
  beforeAll(async () => {
    unitA = (await env().makeUnit()).id;
    const unitB = (await env().makeUnit()).id;
    cookies.admin = (await env().makeUser('admin')).cookie;
    cookies.reporter = (await env().makeUser('reporter', { unitId: unitA })).cookie;
    cookies.reporterOfB = (await env().makeUser('reporter', { unitId: unitB })).cookie;
    cookies.leader = (await env().makeUser('leader')).cookie;
    cookies.analyst = (await env().makeUser('analyst')).cookie;
    const n = await call(env().app, cookies.admin, 'POST', '/api/v1/supervision/notices', {
      unitId: unitA,
      subject: '矩阵',
      content: '矩阵',
      severity: 'yellow',
      deadline,
    });
    noticeId = n.json().id;
  });

  /** Each request is refused before it could change anything (the version is stale for who may pass). */
  const actions = (): Record<string, [string, string, object | undefined, Who[]]> => ({
    'list notices': [
      'GET',
      '/api/v1/supervision/notices',
      undefined,
      ['admin', 'reporter', 'reporterOfB', 'leader', 'analyst'],
    ],
    'read notice of A': [
      'GET',
      `/api/v1/supervision/notices/${noticeId}`,
      undefined,
      ['admin', 'reporter', 'leader', 'analyst'],
    ],
    'issue notice': [
      'POST',
      '/api/v1/supervision/notices',
      { unitId: unitA, subject: 'x', content: 'y', severity: 'red', deadline },
      ['admin'],
    ],
    'sign notice of A': [
      'POST',
      `/api/v1/supervision/notices/${noticeId}/sign`,
      { version: 999 },
      ['reporter'],
    ],
    'reply to notice of A': [
      'POST',
      `/api/v1/supervision/notices/${noticeId}/reply`,
      { version: 999, comment: '回复' },
      ['reporter'],
    ],
    'finish notice of A': [
      'POST',
      `/api/v1/supervision/notices/${noticeId}/finish`,
      { version: 999 },
      ['reporter'],
    ],
    'close notice of A': [
      'POST',
      `/api/v1/supervision/notices/${noticeId}/close`,
      { version: 999 },
      ['admin'],
    ],
    'return notice of A': [
      'POST',
      `/api/v1/supervision/notices/${noticeId}/return`,
      { version: 999, comment: '退回' },
      ['admin'],
    ],
    alerts: ['GET', '/api/v1/supervision/alerts', undefined, ['admin', 'leader', 'analyst']],
    notifications: [
      'GET',
      '/api/v1/notifications',
      undefined,
      ['admin', 'reporter', 'reporterOfB', 'leader', 'analyst'],
    ],
  });

  for (const who of WHO) {
    it(`${who}: allowed actions pass authorization, the others are refused`, async () => {
      for (const [name, [method, url, body, allowed]] of Object.entries(actions())) {
        const res = await call(env().app, cookies[who] ?? null, method as 'GET' | 'POST', url, body);
        if (allowed.includes(who)) {
          // Allowed means "not refused by authorization": a stale version or the state may still answer 409.
          expect([401, 403], `${who} ${name}: ${res.body}`).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, `${who} ${name}`).toBe(who === 'public' ? 401 : 403);
        }
      }
    });
  }

  it("a reporter's list holds only its unit's notices; asking for another unit is refused", async () => {
    const b = await call(env().app, cookies.reporterOfB!, 'GET', '/api/v1/supervision/notices');
    expect(b.json().items.some((n: { id: string }) => n.id === noticeId)).toBe(false);
    const a = await call(env().app, cookies.reporter!, 'GET', '/api/v1/supervision/notices');
    const units = a.json().items.map((n: { unitId: string }) => n.unitId);
    expect(units.length).toBeGreaterThan(0);
    expect(new Set(units)).toEqual(new Set([unitA]));
    const other = await call(
      env().app,
      cookies.reporterOfB!,
      'GET',
      `/api/v1/supervision/notices?unitId=${unitA}`,
    );
    expect(other.statusCode).toBe(403);
  });

  it('forged ids: malformed is 400, well-formed but unknown is 404', async () => {
    const bad = await call(
      env().app,
      cookies.reporter!,
      'POST',
      '/api/v1/supervision/notices/not-an-id/sign',
      {
        version: 1,
      },
    );
    expect(bad.statusCode).toBe(400);
    const unknown = await call(
      env().app,
      cookies.reporter!,
      'POST',
      '/api/v1/supervision/notices/01ZZZZZZZZZZZZZZZZZZZZZZZZ/sign',
      { version: 1 },
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('the refused attempts left the notice as issued', async () => {
    const row = await env()
      .db.kysely.selectFrom('supervision_notices')
      .select(['state', 'version'])
      .where('id', '=', noticeId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'issued', version: 1 });
  });
});
