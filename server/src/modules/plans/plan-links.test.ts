import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { buildCountyDraft } from '../../test/plan-factory';
import { samplePlanId } from '../../test/plans-factory';
import { countyAdmin } from '../../test/jurisdictions-factory';
import { call } from '../../test/reporting-factory';

interface Links {
  parentPlan: { id: string; title: string } | null;
  parentTasks: { id: string; path: string; title: string }[];
  tasks: {
    taskId: string;
    path: string;
    title: string;
    links: { targetPath: string; state: string; reasons: string[] }[];
  }[];
  confirmed: number;
  proposed: number;
  unlinked: number;
}

/**
 * A county plan linked to the city's: kesu proposes, with its reasons, only where the tasks are alike; the county admin
 * confirms, changes or rejects; nothing is linked silently and a rejected pair is not proposed again.
 */
describeEachDialect('linking a county plan to the city plan', (env) => {
  let city = '';
  let adminA = '';
  let adminB = '';
  let planA = '';
  const get = async (cookie: string) => {
    const r = await call(env().app, cookie, 'GET', `/api/v1/plans/${planA}/links`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Links;
  };
  const taskOf = (l: Links, path: string) => l.tasks.find((t) => t.path === path)!;
  const cityTask = (l: Links, path: string) => l.parentTasks.find((t) => t.path === path)!;

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    adminA = (await countyAdmin(e, city, '丰县')).cookie;
    adminB = (await countyAdmin(e, city, '沛县')).cookie;
    const unit = await call(e.app, adminA, 'POST', '/api/v1/units', {
      kind: 'department',
      name: '丰县科学技术协会',
      shortName: '县科协',
      aliases: [],
    });
    expect(unit.statusCode, unit.body).toBe(201);
    const imported = await call(e.app, adminA, 'POST', '/api/v1/plans/import', {
      // Three tasks: one close to a city task, one less so, one of its own.
      draft: buildCountyDraft({
        title: '丰县全民科学素质行动规划实施方案',
        date: '2022-08-01',
        unit: '丰县科学技术协会',
        part: '重点任务',
        tasks: ['加强全县校内青少年科学教育', '推进县级科技馆建设', '组织开展乡村文艺汇演'],
      }),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    planA = imported.json().plan.id;
  });

  it('shows every task unlinked before anything is proposed, against the city plan', async () => {
    const l = await get(adminA);
    expect(l.parentPlan?.id).toBe(await samplePlanId(env().db.kysely));
    expect(l.tasks.map((t) => t.path)).toEqual(['1.1', '1.2', '1.3']);
    expect([l.confirmed, l.proposed, l.unlinked]).toEqual([0, 0, 3]);
  });

  it('proposes only where the tasks are alike, with reasons; the county confirms, changes or rejects', async () => {
    const app = env().app;
    const proposed = await call(app, adminA, 'POST', `/api/v1/plans/${planA}/links/propose`);
    expect(proposed.statusCode, proposed.body).toBe(200);
    let l = proposed.json() as Links;
    expect(taskOf(l, '1.1').links).toEqual([
      expect.objectContaining({
        targetPath: '3.1.1',
        state: 'proposed',
        reasons: expect.arrayContaining([expect.stringContaining('标题用词相近')]),
      }),
    ]);
    expect(taskOf(l, '1.2').links).toEqual([]);
    expect(taskOf(l, '1.3').links).toEqual([]);
    expect([l.confirmed, l.proposed, l.unlinked]).toEqual([0, 1, 2]);

    // 1.2 is the city's 3.8.2 (推进现代科技馆体系建设) in the county's words: the admin links it by hand.
    const t12 = taskOf(l, '1.2').taskId;
    const set = await call(app, adminA, 'PUT', `/api/v1/plan-tasks/${t12}/links`, {
      targetTaskIds: [cityTask(l, '3.8.2').id],
    });
    expect(set.statusCode, set.body).toBe(200);
    // 1.1's proposal is rejected: not linked, and not proposed again.
    const t11 = taskOf(l, '1.1').taskId;
    expect(
      (await call(app, adminA, 'PUT', `/api/v1/plan-tasks/${t11}/links`, { targetTaskIds: [] })).statusCode,
    ).toBe(200);
    l = (await call(app, adminA, 'POST', `/api/v1/plans/${planA}/links/propose`)).json() as Links;
    expect(taskOf(l, '1.2').links).toEqual([
      expect.objectContaining({ targetPath: '3.8.2', state: 'confirmed' }),
    ]);
    expect(taskOf(l, '1.1').links.map((x) => x.targetPath)).not.toContain('3.1.1');
    expect(l.confirmed).toBe(1);
  });

  it('lets only the county admin decide; the city reads; a target outside the city plan is refused', async () => {
    const app = env().app;
    const l = await get(city);
    const t13 = taskOf(l, '1.3').taskId;
    const body = { targetTaskIds: [cityTask(l, '3.1.2').id] };
    expect((await call(app, adminB, 'PUT', `/api/v1/plan-tasks/${t13}/links`, body)).statusCode).toBe(404);
    expect((await call(app, city, 'PUT', `/api/v1/plan-tasks/${t13}/links`, body)).statusCode).toBe(403);
    expect((await call(app, adminB, 'GET', `/api/v1/plans/${planA}/links`)).statusCode).toBe(404);
    const own = await call(app, adminA, 'PUT', `/api/v1/plan-tasks/${t13}/links`, { targetTaskIds: [t13] });
    expect(own.statusCode, own.body).toBe(400);
    expect((await get(adminA)).unlinked).toBeGreaterThanOrEqual(1);
  });
});
