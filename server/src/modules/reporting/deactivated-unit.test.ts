import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { call } from '../../test/reporting-factory';

/** A unit deactivated (or merged away) reports nothing more: its reporter used to keep saving reports for it. */
describeEachDialect('a deactivated unit’s reporter', (env) => {
  it('can read the report but can no longer save, submit or open one', async () => {
    const e = env();
    const unit = await e.makeUnit();
    const other = await e.makeUnit();
    const admin = (await e.makeUser('admin')).cookie;
    const reporter = (await e.makeUser('reporter', { unitId: unit.id })).cookie;
    const imported = await call(e.app, admin, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft(unit, other, '停用单位测试'),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const planId = imported.json().plan.id;
    const tree = (await call(e.app, admin, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    const [t11, t12] = ['1.1', '1.2'].map((p) => tree.tasks.find((t: { path: string }) => t.path === p).id);
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
    const cycleId = cycle.json().id;
    const opened = await call(e.app, reporter, 'POST', '/api/v1/reports', { cycleId, taskId: t11 });
    expect(opened.statusCode, opened.body).toBe(200);
    const report = opened.json();

    await e.db.kysely.updateTable('units').set({ is_active: 0 }).where('id', '=', unit.id).execute();

    const save = await call(e.app, reporter, 'PATCH', `/api/v1/reports/${report.id}`, {
      progress: report.progress ?? 'on_track',
      narrative: '停用后仍想保存',
      values: [],
      version: report.version,
    });
    expect(save.statusCode, save.body).toBe(403);
    expect(save.json().error.message).toContain('已停用');
    const submit = await call(e.app, reporter, 'POST', `/api/v1/reports/${report.id}/submit`, {
      version: report.version,
    });
    expect(submit.statusCode, submit.body).toBe(403);
    const another = await call(e.app, reporter, 'POST', '/api/v1/reports', { cycleId, taskId: t12 });
    expect(another.statusCode, another.body).toBe(403);
    const read = await call(e.app, reporter, 'GET', `/api/v1/reports/${report.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().narrative).not.toBe('停用后仍想保存');
  });
});
