import type { Role } from '@kesu/shared';
import { beforeAll, expect, it } from 'vitest';
import type { AuthUser } from '../../context';
import { describeEachDialect, ORIGIN } from '../../test/env';
import { canManagePlans, canReadPlans, canReadPublishedPlan } from './plans.policy';
import { multipartBody } from '../../test/plans-factory';

type Who = Role | 'public';

/** A valid one-heading draft: authorization, not validation, must be what refuses it. */
const tinyDraft = {
  title: '矩阵测试规划',
  issuer: null,
  docNumber: null,
  date: null,
  fileName: null,
  sourceText: '一、总体要求',
  tasks: [
    {
      path: '1',
      label: '一、',
      kind: 'part',
      depth: 1,
      title: '总体要求',
      units: [],
      targets: [],
      spans: null,
    },
  ],
  baselines: [],
  warnings: [],
};
const WHO: Who[] = ['public', 'admin', 'reporter', 'leader', 'analyst'];
const MATRIX: Record<string, { policy: (u: AuthUser | null) => boolean; allowed: Who[] }> = {
  'plans.read': { policy: canReadPlans, allowed: ['admin', 'reporter', 'leader', 'analyst'] },
  'plans.manage': { policy: canManagePlans, allowed: ['admin'] },
  'plans.readPublished': { policy: canReadPublishedPlan, allowed: WHO },
};

function userOf(who: Who): AuthUser | null {
  if (who === 'public') return null;
  return {
    id: 'U',
    username: who,
    displayName: who,
    role: who,
    unitId: null,
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

describeEachDialect('plans over HTTP: roles × actions', (env) => {
  const cookies: Partial<Record<Who, string>> = {};
  let planId = '';
  let taskId = '';
  let indicatorId = '';
  beforeAll(async () => {
    for (const who of ['admin', 'reporter', 'leader', 'analyst'] as const)
      cookies[who] = (await env().makeUser(who)).cookie;
    const plan = await env().db.kysely.selectFrom('plans').select('id').executeTakeFirstOrThrow();
    planId = plan.id;
    const ind = await env()
      .db.kysely.selectFrom('indicators')
      .select(['id', 'task_id'])
      .executeTakeFirstOrThrow();
    indicatorId = ind.id;
    taskId = ind.task_id;
  });

  type Action = [
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body: object | 'file' | undefined,
    policy: string,
  ];
  const actions = (): Record<string, Action> => ({
    'list plans': ['GET', '/api/v1/plans', undefined, 'plans.read'],
    'read tree': ['GET', `/api/v1/plans/${planId}/tree`, undefined, 'plans.read'],
    'export xlsx': ['GET', `/api/v1/plans/${planId}/export.xlsx`, undefined, 'plans.read'],
    'preview upload': ['POST', '/api/v1/plans/preview', 'file', 'plans.manage'],
    import: ['POST', '/api/v1/plans/import', { draft: tinyDraft }, 'plans.manage'],
    'edit task': ['PATCH', `/api/v1/plan-tasks/${taskId}`, { title: '改', version: 999 }, 'plans.manage'],
    'edit indicator': [
      'PATCH',
      `/api/v1/indicators/${indicatorId}`,
      { targetValue: 1, version: 999 },
      'plans.manage',
    ],
    publish: ['POST', `/api/v1/plans/${planId}/unpublish`, { version: 999 }, 'plans.manage'],
    'public read': ['GET', `/api/v1/public/plans/${planId}`, undefined, 'plans.readPublished'],
  });

  for (const who of WHO) {
    it(`${who}: allowed actions pass, the others are refused`, async () => {
      for (const [name, [method, url, body, policy]] of Object.entries(actions())) {
        const file =
          body === 'file' ? multipartBody('x.txt', Buffer.from('一、总体要求\n(责任单位:市科协)')) : null;
        const res = await env().app.inject({
          method,
          url,
          headers: {
            origin: ORIGIN,
            ...(cookies[who] ? { cookie: cookies[who] } : {}),
            ...(file ? file.headers : {}),
          },
          ...(file ? { payload: file.payload } : body && body !== 'file' ? { payload: body } : {}),
        });
        const allowed = MATRIX[policy]!.allowed.includes(who);
        if (allowed) expect([401, 403], `${who} ${name}: ${res.body}`).not.toContain(res.statusCode);
        else expect(res.statusCode, `${who} ${name}`).toBe(who === 'public' ? 401 : 403);
      }
    });
  }

  it('refused writes left the plan as it was', async () => {
    const t = await env()
      .db.kysely.selectFrom('plan_tasks')
      .selectAll()
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(t.title).not.toBe('改');
    expect(t.version).toBe(1);
  });
});
