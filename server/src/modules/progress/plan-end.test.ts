import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { samplePlanId } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';

/** A cycle after the plan period says so (the web warns), and the plan's end is its latest indicator deadline. */
describeEachDialect('cycles after the plan period', (env) => {
  let admin = '';
  let planId = '';

  beforeAll(async () => {
    const e = env();
    admin = (await e.makeUser('admin')).cookie;
    planId = await samplePlanId(e.db.kysely);
  });

  const create = (name: string, periodStart: string, periodEnd: string) =>
    call(env().app, admin, 'POST', '/api/v1/reporting/cycles', {
      planId,
      name,
      frequency: 'yearly',
      periodStart,
      periodEnd,
      dueDate: '2099-01-15',
    });

  it('marks a cycle that starts after the plan period, and only that one', async () => {
    const within = await create('2025年度', '2025-01-01', '2025-12-31');
    expect(within.statusCode, within.body).toBe(201);
    // 徐政发〔2022〕13号 sets its targets for the end of 2025.
    expect(within.json()).toMatchObject({ planEnd: '2025-12-31', afterPlanEnd: false });
    const after = await create('2026年度', '2026-01-01', '2026-12-31');
    expect(after.statusCode, after.body).toBe(201);
    expect(after.json()).toMatchObject({ planEnd: '2025-12-31', afterPlanEnd: true });
    const list = (await call(env().app, admin, 'GET', `/api/v1/reporting/cycles?planId=${planId}`)).json();
    expect(list.items.map((c: { name: string; afterPlanEnd: boolean }) => [c.name, c.afterPlanEnd])).toEqual([
      ['2026年度', true],
      ['2025年度', false],
    ]);
  });
});
