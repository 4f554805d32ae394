import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { call } from '../../test/reporting-factory';

/**
 * Merging two units that both reported on one task in one cycle (one report per unit, task and cycle): the merge used to
 * move both reports onto the target and die on the unique key (500). Now the target keeps its own report, the source's
 * stays with the source (kept for history) and the merge says which.
 */
describeEachDialect('merging units that both reported', (env) => {
  it('merges without a 500; the clashing report stays with the source, the others follow', async () => {
    const e = env();
    const target = await e.makeUnit();
    const source = await e.makeUnit();
    const admin = (await e.makeUser('admin')).cookie;
    const repT = (await e.makeUser('reporter', { unitId: target.id })).cookie;
    const repS = (await e.makeUser('reporter', { unitId: source.id })).cookie;
    const imported = await call(e.app, admin, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft(target, source, '合并测试规划'),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const planId = imported.json().plan.id;
    const tree = (await call(e.app, admin, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    const task = tree.tasks.find((t: { path: string }) => t.path === '1.1').id as string;
    const cycles = [];
    for (const [name, start, end] of [
      ['2024年上半年', '2024-01-01', '2024-06-30'],
      ['2024年下半年', '2024-07-01', '2024-12-31'],
    ]) {
      const c = await call(e.app, admin, 'POST', '/api/v1/reporting/cycles', {
        planId,
        name,
        frequency: 'half_yearly',
        periodStart: start,
        periodEnd: end,
        dueDate: '2099-01-15',
        graceDays: 5,
      });
      expect(c.statusCode, c.body).toBe(201);
      cycles.push(c.json().id as string);
    }
    // Both units report on 1.1 in the first cycle; only the source reports in the second.
    const open = async (cookie: string, cycleId: string) => {
      const r = await call(e.app, cookie, 'POST', '/api/v1/reports', { cycleId, taskId: task });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().id as string;
    };
    const targetReport = await open(repT, cycles[0] as string);
    const clashing = await open(repS, cycles[0] as string);
    const follows = await open(repS, cycles[1] as string);

    const merged = await call(e.app, admin, 'POST', `/api/v1/units/${target.id}/merge`, {
      sourceId: source.id,
    });
    expect(merged.statusCode, merged.body).toBe(200);

    const unitOf = async (id: string) =>
      (
        await e.db.kysely
          .selectFrom('progress_reports')
          .select('unit_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).unit_id;
    expect(await unitOf(targetReport)).toBe(target.id);
    expect(await unitOf(clashing)).toBe(source.id);
    expect(await unitOf(follows)).toBe(target.id);
    const audit = await e.db.kysely
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'unit.merge')
      .where('entity_id', '=', target.id)
      .executeTakeFirstOrThrow();
    const after = JSON.parse(String(audit.after_json)) as {
      keptWithSource: { cycleName: string; taskLabel: string }[];
    };
    expect(after.keptWithSource).toEqual([
      expect.objectContaining({ cycleName: '2024年上半年', taskLabel: '1.1' }),
    ]);
  });
});
