import { isCalendarDate } from '@kesu/shared';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { systemCtx } from '../../context';
import { MIGRATIONS } from '../../db/migrate';
import { describeEachDialect } from '../../test/env';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { call } from '../../test/reporting-factory';
import { findBadDates, fixStoredDate } from './stored-dates.service';

describe('isCalendarDate', () => {
  it.each([
    ['2026-02-28', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2100-12-31', true],
    ['2025-02-29', false],
    ['2100-02-29', false],
    ['2026-02-30', false],
    ['2026-02-31', false],
    ['2027-13-01', false],
    ['2026-04-31', false],
    ['0000-00-00', false],
    ['1900-01-01', false],
    ['2101-01-01', false],
    ['2026-1-01', false],
  ])('%s → %s', (d, ok) => expect(isCalendarDate(d)).toBe(ok));
});

/** Issue 8, item 1: impossible dates were stored (answering 500 after commit) and then broke every page. */
describeEachDialect('impossible dates are refused at the boundary and found when stored', (env) => {
  let admin = '';
  let planId = '';
  let indicatorId = '';
  let indicatorVersion = 0;
  let unitA = '';
  beforeAll(async () => {
    const e = env();
    const a = await e.makeUnit();
    const b = await e.makeUnit();
    unitA = a.id;
    admin = (await e.makeUser('admin')).cookie;
    const res = await call(e.app, admin, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft(a, b),
    });
    expect(res.statusCode, res.body).toBe(201);
    planId = res.json().plan.id;
    const tree = (await call(e.app, admin, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    const ind = tree.tasks.find((t: { path: string }) => t.path === '1.1').indicators[0];
    indicatorId = ind.id;
    indicatorVersion = ind.version;
  });

  const cycleCount = async () =>
    Number(
      (
        await env()
          .db.kysely.selectFrom('reporting_cycles')
          .select((b) => b.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.each(['2027-13-01', '2026-02-30', '2025-02-29', '0000-00-00', '1900-01-01'])(
    'POST /reporting/cycles with dueDate %s is a 400 and stores nothing',
    async (dueDate) => {
      const before = await cycleCount();
      const r = await call(env().app, admin, 'POST', '/api/v1/reporting/cycles', {
        planId,
        name: '坏日期',
        frequency: 'quarterly',
        periodStart: '2026-01-01',
        periodEnd: '2026-03-31',
        dueDate,
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
      expect(await cycleCount()).toBe(before);
    },
  );

  it('PATCH /indicators/{id} with deadline 2025-02-29 is a 400; status and overview keep answering', async () => {
    const e = env();
    const r = await call(e.app, admin, 'PATCH', `/api/v1/indicators/${indicatorId}`, {
      deadline: '2025-02-29',
      version: indicatorVersion,
    });
    expect(r.statusCode, r.body).toBe(400);
    const row = await e.db.kysely
      .selectFrom('indicators')
      .select('deadline')
      .where('id', '=', indicatorId)
      .executeTakeFirstOrThrow();
    expect(row.deadline).not.toBe('2025-02-29');
    const s = await call(e.app, admin, 'GET', `/api/v1/indicator-status?planId=${planId}`);
    expect(s.statusCode, s.body).toBe(200);
  });

  it.each(['2026-02-31', '1900-01-01', '0000-00-00', '2026-13-01'])(
    '?asOf=%s on read routes is a 400',
    async (asOf) => {
      const app = env().app;
      for (const url of [
        `/api/v1/indicator-status?planId=${planId}&asOf=${asOf}`,
        `/api/v1/dashboards/overview?planId=${planId}&asOf=${asOf}`,
      ]) {
        const r = await call(app, admin, 'GET', url);
        expect(r.statusCode, `${url} ${r.body}`).toBe(400);
      }
    },
  );

  it('a supervision notice deadline of 2026-02-30 is refused, not stored as March 2', async () => {
    const r = await call(env().app, admin, 'POST', '/api/v1/supervision/notices', {
      unitId: unitA,
      subject: '督办',
      content: '内容',
      severity: 'yellow',
      deadline: '2026-02-30',
    });
    expect(r.statusCode, r.body).toBe(400);
  });

  it('finds a bad date stored before the fix, reports it in the migration, and fixes it with an audit row', async () => {
    const e = env();
    await e.db.kysely
      .updateTable('indicators')
      .set({ deadline: '2025-02-29' })
      .where('id', '=', indicatorId)
      .execute();
    const bad = await findBadDates(e.db.kysely);
    expect(bad).toContainEqual({
      table: 'indicators',
      column: 'deadline',
      id: indicatorId,
      value: '2025-02-29',
    });

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await MIGRATIONS['0080-bad-dates-report']?.up(e.db.kysely);
      expect(warn).toHaveBeenCalledOnce();
      expect(String(warn.mock.calls[0]?.[0])).toContain(`indicators.deadline ${indicatorId} = “2025-02-29”`);
      expect(String(warn.mock.calls[0]?.[0])).toContain('kesu dates');
    } finally {
      warn.mockRestore();
    }

    await expect(
      fixStoredDate(e.db.kysely, systemCtx(), {
        table: 'indicators',
        column: 'deadline',
        id: indicatorId,
        value: '2025-02-30',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      fixStoredDate(e.db.kysely, systemCtx(), {
        table: 'users',
        column: 'username',
        id: indicatorId,
        value: '2025-02-28',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const { before } = await fixStoredDate(e.db.kysely, systemCtx(), {
      table: 'indicators',
      column: 'deadline',
      id: indicatorId,
      value: '2025-02-28',
    });
    expect(before).toBe('2025-02-29');
    expect(await findBadDates(e.db.kysely)).toEqual([]);
    const audit = await e.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'date.fix')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.entity_id).toBe(indicatorId);
  });
});
