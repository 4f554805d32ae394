import type { Role } from '@kesu/shared';
import { expect, it } from 'vitest';
import type { Database } from './db/schema';
import { call } from './test/reporting-factory';
import { describeEachDialect, ORIGIN } from './test/env';
import { fuzz, operationsOf, type Principal } from './test/fuzz';
import { type PrincipalName, ROUTE_ACCESS } from './test/route-access';
import { buildTwoTaskPlanDraft } from './test/plan-factory';

/**
 * Every route of the OpenAPI document walked with hostile inputs as every principal, on each dialect: no answer may be
 * a 5xx. `npm test` walks FUZZ_REQUESTS (default 1,500) per dialect; `npm run fuzz` (CI) walks 10,000. FUZZ_SEED
 * replays a walk.
 */
const COUNT = Number(process.env.FUZZ_REQUESTS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

/** Tables whose ids the walk uses as path parameters and values: its own records and other units' records. */
const ID_TABLES: (keyof Database)[] = [
  'units',
  'users',
  'plans',
  'plan_versions',
  'plan_tasks',
  'indicators',
  'reporting_cycles',
  'progress_reports',
  'supervision_notices',
  'survey_waves',
  'dashboard_snapshots',
  'report_attachments',
  'instruments',
  'notifications',
];

describeEachDialect('hostile inputs on every route', (env) => {
  it(
    `walks ${COUNT} requests with no 5xx`,
    async () => {
      const e = env();
      const unitA = await e.makeUnit();
      const unitB = await e.makeUnit();
      const roles: [string, Role, string | null][] = [
        ['管理员', 'admin', null],
        ['填报人', 'reporter', unitA.id],
        ['领导', 'leader', null],
        ['分析员', 'analyst', null],
      ];
      const principals: (Principal & { role?: Role; unitId?: string | null })[] = [
        { name: '公众', cookie: null },
      ];
      for (const [name, role, unitId] of roles) {
        principals.push({ name, role, unitId, cookie: (await e.makeUser(role, { unitId })).cookie });
      }
      const admin = principals[1]?.cookie ?? '';
      // Records to aim at: a plan with tasks and indicators, a cycle, a report of each unit.
      const imported = await call(e.app, admin, 'POST', '/api/v1/plans/import', {
        draft: buildTwoTaskPlanDraft(unitA, unitB, '模糊测试规划'),
      });
      expect(imported.statusCode, imported.body).toBe(201);
      const planId = imported.json().plan.id;
      const cycle = await call(e.app, admin, 'POST', '/api/v1/reporting/cycles', {
        planId,
        name: '2024年度',
        frequency: 'yearly',
        periodStart: '2024-01-01',
        periodEnd: '2024-12-31',
        dueDate: '2099-01-15',
        graceDays: 5,
      });
      expect(cycle.statusCode, cycle.body).toBe(201);
      const tree = (await call(e.app, admin, 'GET', `/api/v1/plans/${planId}/tree`)).json();
      const task = tree.tasks.find((t: { path: string }) => t.path === '1.1').id;
      const reporterB = (await e.makeUser('reporter', { unitId: unitB.id })).cookie;
      for (const cookie of [principals[2]?.cookie ?? '', reporterB]) {
        const r = await call(e.app, cookie, 'POST', '/api/v1/reports', {
          cycleId: cycle.json().id,
          taskId: task,
        });
        expect(r.statusCode, r.body).toBe(200);
      }

      const ids: string[] = [];
      for (const table of ID_TABLES) {
        const rows = await e.db.kysely
          // biome-ignore lint/suspicious/noExplicitAny: the table list spans tables with an id column each
          .selectFrom(table as any)
          .select('id')
          .limit(30)
          .execute();
        ids.push(...rows.map((r) => String((r as { id: string }).id)));
      }
      const doc = (await e.app.inject({ url: '/api/v1/openapi.json' })).json();

      const result = await fuzz({
        app: e.app,
        doc,
        principals,
        ids,
        count: COUNT,
        seed: SEED,
        origin: ORIGIN,
        refresh: async (p) => {
          const q = p as (typeof principals)[number];
          if (!q.cookie || !q.role) return;
          const me = await e.app.inject({ url: '/api/v1/auth/me', headers: { cookie: q.cookie } });
          if (me.statusCode === 200 && me.json().role === q.role) return;
          const unitId = q.role === 'reporter' ? (await e.makeUnit()).id : null;
          q.cookie = (await e.makeUser(q.role, { unitId })).cookie;
        },
      });
      console.log(
        `fuzz [${e.dialect}] seed ${SEED}: ${result.requests} requests, ${JSON.stringify(result.byStatus)}, ` +
          `${result.failures.length} answered ≥ 500`,
      );
      if (process.env.FUZZ_PASSED_OUT) {
        const fs = await import('node:fs');
        fs.writeFileSync(
          process.env.FUZZ_PASSED_OUT,
          [...result.passed]
            .map(([k, v]) => `${k}\t${[...v].sort().join(',')}`)
            .sort()
            .join('\n'),
        );
      }
      expect(result.requests).toBe(COUNT);
      // The walk reaches past the front door: some requests succeed and many are refused as invalid.
      expect(result.byStatus['2xx'] ?? 0).toBeGreaterThan(0);
      expect(result.byStatus['4xx'] ?? 0).toBeGreaterThan(0);
      expect(result.failures.slice(0, 20)).toEqual([]);

      // Authorization, generated from the document: every route is classified, and no one outside a route's list
      // ever got a 2xx from it during the walk.
      const routes = operationsOf(doc).map((op) => `${op.method} ${op.path}`);
      expect(
        routes.filter((r) => !(r in ROUTE_ACCESS)),
        '未登记访问权限的路由',
      ).toEqual([]);
      expect(
        Object.keys(ROUTE_ACCESS).filter((r) => !routes.includes(r)),
        '已不存在的路由',
      ).toEqual([]);
      const breaches = [...result.passed].flatMap(([route, who]) =>
        [...who]
          .filter((w) => !ROUTE_ACCESS[route]?.includes(w as PrincipalName))
          .map((w) => `${w} → ${route}`),
      );
      expect(breaches).toEqual([]);
    },
    30 * 60_000,
  );
});
