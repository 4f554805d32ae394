import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';
import { samplePlanId, typedIndicators } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';

interface StatusRow {
  indicatorId: string;
  kind: string;
  target: number | null;
  actual: number | null;
  status: string;
  explanation: string;
  counties: { countyId: string; countyName: string; actual: number | null; status: string }[];
  sources: { sourceKind: string; value: number; countyName: string | null; isCounted: boolean }[];
}

interface Allocation {
  mode: string;
  target: number;
  sum: number | null;
  counties: {
    jurisdictionId: string;
    name: string;
    planId: string | null;
    target: number | null;
    countyTaskId: string | null;
    countyIndicatorId: string | null;
  }[];
}

/** A county with its admin, its own plan, a unit and that unit's reporter. */
interface County {
  name: string;
  id: string;
  admin: string;
  planId: string;
  unitId: string;
  clerk: string;
}

const ASOF = '2025-12-31';

/**
 * 分解下达 and roll-up: the city assigns a count with quotas and a share with one rate; each county's plan receives the
 * task; county values approved by the county roll up to the city indicator — quotas summed, shares pooled over the
 * residents (population-weighted), a county without data shown as missing, never as 0.
 */
describeEachDialect('assigning a city indicator down to the counties and rolling it up', (env) => {
  let city = '';
  let planId = '';
  let count: StatusRow;
  let share: StatusRow;
  const counties: County[] = [];
  let ids = new Map<string, string>();

  const status = async (app: FastifyInstance, indicatorId: string) => {
    const r = await call(app, city, 'GET', `/api/v1/indicator-status?planId=${planId}&asOf=${ASOF}`);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json().indicators as StatusRow[]).find((i) => i.indicatorId === indicatorId)!;
  };

  /** The county's unit takes the assigned task, reports the value in a 2025 cycle, and the county approves it. */
  const reportAssigned = async (app: FastifyInstance, c: County, countyTaskId: string, value: number) => {
    const task = await call(app, c.admin, 'GET', `/api/v1/plans/${c.planId}/tree`);
    expect(task.statusCode, task.body).toBe(200);
    const row = (task.json().tasks as { id: string; version: number }[]).find((t) => t.id === countyTaskId)!;
    const assigned = await call(app, c.admin, 'PATCH', `/api/v1/plan-tasks/${countyTaskId}`, {
      units: [{ unitId: c.unitId, role: 'lead' }],
      version: row.version,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const cycles = (await call(app, c.admin, 'GET', '/api/v1/reporting/cycles')).json().items as {
      id: string;
      planId: string;
    }[];
    let cycleId = cycles.find((x) => x.planId === c.planId)?.id;
    if (!cycleId) {
      const made = await call(app, c.admin, 'POST', '/api/v1/reporting/cycles', {
        planId: c.planId,
        name: '2025年度',
        frequency: 'yearly',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        dueDate: '2026-01-15',
      });
      expect(made.statusCode, made.body).toBe(201);
      cycleId = made.json().id as string;
    }
    const opened = await call(app, c.clerk, 'POST', '/api/v1/reports', { cycleId, taskId: countyTaskId });
    expect(opened.statusCode, opened.body).toBe(200);
    const report = opened.json();
    const saved = await call(app, c.clerk, 'PATCH', `/api/v1/reports/${report.id}`, {
      progress: 'in_progress',
      narrative: '按市下达任务推进',
      values: [{ indicatorId: report.indicators[0].id, countyId: null, value, note: '年度内按计划推进' }],
      version: report.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const sub = await call(app, c.clerk, 'POST', `/api/v1/reports/${report.id}/submit`, {
      version: saved.json().version,
    });
    expect(sub.statusCode, sub.body).toBe(200);
    const ok = await call(app, c.admin, 'POST', `/api/v1/reports/${report.id}/approve`, {
      version: sub.json().version,
      comment: '同意',
    });
    expect(ok.statusCode, ok.body).toBe(200);
  };

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    planId = await samplePlanId(e.db.kysely);
    // The counties' reported values roll up here; registry-bound targets are tested in plans/indicator-bindings.test.ts.
    await typedIndicators(e.db.kysely);
    const all = (
      await call(e.app, city, 'GET', `/api/v1/indicator-status?planId=${planId}&asOf=${ASOF}`)
    ).json().indicators as StatusRow[];
    count = all.find((i) => i.kind === 'cumulative' && (i.target ?? 0) >= 10)!;
    share = all.find((i) => i.kind === 'population_share')!;
    expect(count).toBeDefined();
    expect(share).toBeDefined();
    ids = await jurisdictionIds(e, city);
    // Two counties with plans of their own; 新沂市 has none yet.
    for (const name of ['丰县', '沛县']) {
      const { cookie, jurisdictionId } = await countyAdmin(e, city, name);
      const unit = await call(e.app, cookie, 'POST', '/api/v1/units', {
        kind: 'department',
        name: `${name}科学技术协会`,
        shortName: `${name}科协`,
        aliases: [],
      });
      expect(unit.statusCode, unit.body).toBe(201);
      const plan = await call(e.app, cookie, 'POST', '/api/v1/plans/import', {
        draft: buildTwoTaskPlanDraft(
          { name: `${name}科学技术协会` },
          { name: `${name}科学技术协会` },
          `${name}实施方案`,
        ),
      });
      expect(plan.statusCode, plan.body).toBe(201);
      const clerk = (await e.makeUser('reporter', { unitId: unit.json().id, jurisdictionId })).cookie;
      counties.push({
        name,
        id: jurisdictionId,
        admin: cookie,
        planId: plan.json().plan.id,
        unitId: unit.json().id,
        clerk,
      });
    }
    // Residents of 2025 (the share's year): the city and the two counties.
    const margins = await call(e.app, city, 'POST', '/api/v1/surveys/margins/2025', {
      rows: [
        { dimension: 'total', level: '全市', population: 9_000_000, source: '测试' },
        { dimension: 'county', level: '丰县', population: 1_000_000, source: '测试' },
        { dimension: 'county', level: '沛县', population: 1_500_000, source: '测试' },
      ],
    });
    expect(margins.statusCode, margins.body).toBe(200);
  });

  it('refuses quotas that do not add up, the wrong mode, another level and a forged id', async () => {
    const app = env().app;
    const url = `/api/v1/indicators/${count.indicatorId}/allocation`;
    const short = await call(app, city, 'PUT', url, {
      mode: 'quota',
      quotas: [{ jurisdictionId: counties[0]!.id, targetValue: 1 }],
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toMatch(/配额合计 1.*不一致/);
    const wrongMode = await call(app, city, 'PUT', url, { mode: 'rate', rate: 80 });
    expect(wrongMode.statusCode).toBe(400);
    expect(wrongMode.json().error.message).toMatch(/按配额分解/);
    const byCounty = await call(app, counties[0]!.admin, 'PUT', url, {
      mode: 'quota',
      quotas: [{ jurisdictionId: counties[0]!.id, targetValue: count.target! }],
    });
    expect(byCounty.statusCode).toBe(403);
    // The county reads what the city would give it; another county's plan is not found.
    expect((await call(app, counties[0]!.admin, 'GET', url)).statusCode).toBe(200);
    const outside = await call(app, city, 'PUT', url, {
      mode: 'quota',
      quotas: [{ jurisdictionId: ids.get('徐州市')!, targetValue: count.target! }],
    });
    expect(outside.statusCode).toBe(400);
    const forged = await call(app, city, 'PUT', '/api/v1/indicators/01JZZZZZZZZZZZZZZZZZZZZZZZ/allocation', {
      mode: 'rate',
      rate: 80,
    });
    expect(forged.statusCode).toBe(404);
    // Nothing was written by the refusals.
    const view = (await call(app, city, 'GET', url)).json() as Allocation;
    expect(view.counties.every((c) => c.target === null)).toBe(true);
  });

  it('assigns quotas: each county with a plan receives a linked task; quotas are summed, the missing named', async () => {
    const app = env().app;
    const target = count.target!;
    const [a, b] = counties as [County, County];
    const third = ids.get('新沂市')!;
    const quotas = [
      { jurisdictionId: a.id, targetValue: Math.floor(target / 2) },
      { jurisdictionId: b.id, targetValue: target - Math.floor(target / 2) - 1 },
      { jurisdictionId: third, targetValue: 1 },
    ];
    const r = await call(app, city, 'PUT', `/api/v1/indicators/${count.indicatorId}/allocation`, {
      mode: 'quota',
      quotas,
    });
    expect(r.statusCode, r.body).toBe(200);
    const alloc = r.json() as Allocation;
    expect(alloc.sum).toBe(target);
    const rowOf = (id: string) => alloc.counties.find((c) => c.jurisdictionId === id)!;
    expect(rowOf(a.id).countyTaskId).not.toBeNull();
    expect(rowOf(third).planId).toBeNull(); // no plan yet: the target is kept, no task
    expect(rowOf(third).target).toBe(1);

    // The county's plan now has the task under 上级分解下达任务, linked to the city task, with the county's target.
    const links = (await call(app, a.admin, 'GET', `/api/v1/plans/${a.planId}/links`)).json();
    const linked = links.tasks.find((t: { taskId: string }) => t.taskId === rowOf(a.id).countyTaskId);
    expect(linked.links[0].state).toBe('confirmed');
    expect(linked.links[0].reasons).toContain('上级分解下达');

    // County A reports and its county approves: the city's value is A's alone, B and 新沂市 are missing, not 0.
    await reportAssigned(app, a, rowOf(a.id).countyTaskId!, 4);
    let s = await status(app, count.indicatorId);
    expect(s.actual).toBe(4);
    const cell = (row: StatusRow, name: string) => row.counties.find((c) => c.countyName === name);
    expect(cell(s, '丰县')?.actual).toBe(4);
    expect(cell(s, '沛县')?.actual).toBeNull();
    expect(cell(s, '沛县')?.status).toBe('no_data');
    expect(s.explanation).toMatch(/无数据（.*沛县/);
    expect(s.sources.some((x) => x.sourceKind === 'county' && x.countyName === '丰县' && x.isCounted)).toBe(
      true,
    );

    // B reports too: the city value is the sum of the two quotas' counties.
    await reportAssigned(app, b, rowOf(b.id).countyTaskId!, 7);
    s = await status(app, count.indicatorId);
    expect(s.actual).toBe(11);
    expect(cell(s, '沛县')?.actual).toBe(7);

    // Saving again with a new quota changes the county's target in place; no second task is made.
    const again = await call(app, city, 'PUT', `/api/v1/indicators/${count.indicatorId}/allocation`, {
      mode: 'quota',
      quotas: [
        { jurisdictionId: a.id, targetValue: Math.floor(target / 2) + 1 },
        { jurisdictionId: b.id, targetValue: target - Math.floor(target / 2) - 1 },
      ],
    });
    expect(again.statusCode, again.body).toBe(200);
    expect((again.json() as Allocation).counties.find((c) => c.jurisdictionId === a.id)!.countyTaskId).toBe(
      rowOf(a.id).countyTaskId,
    );
    expect((again.json() as Allocation).counties.find((c) => c.jurisdictionId === third)!.target).toBeNull();
  });

  it('assigns a share at one rate: county shares are pooled over the residents, a county without data is missing', async () => {
    const app = env().app;
    const r = await call(app, city, 'PUT', `/api/v1/indicators/${share.indicatorId}/allocation`, {
      mode: 'rate',
      rate: 80,
    });
    expect(r.statusCode, r.body).toBe(200);
    const alloc = r.json() as Allocation;
    expect(alloc.counties.every((c) => c.target === 80)).toBe(true);
    const [a, b] = counties as [County, County];
    const taskOf = (id: string) => alloc.counties.find((c) => c.jurisdictionId === id)!.countyTaskId!;
    // Person-times reached in 2025: 丰县 900k of 1.0M residents (90%), 沛县 900k of 1.5M (60%).
    await reportAssigned(app, a, taskOf(a.id), 900_000);
    let s = await status(app, share.indicatorId);
    expect(s.counties.find((c) => c.countyName === '丰县')?.actual).toBeCloseTo(90, 6);
    expect(s.actual).toBeCloseTo(90, 6);
    await reportAssigned(app, b, taskOf(b.id), 900_000);
    s = await status(app, share.indicatorId);
    expect(s.counties.find((c) => c.countyName === '沛县')?.actual).toBeCloseTo(60, 6);
    // Population-weighted: (900k + 900k) / (1.0M + 1.5M) = 72%, not the plain mean of 90% and 60% (75%).
    expect(s.actual).toBeCloseTo(72, 6);
    expect(s.counties.find((c) => c.countyName === '新沂市')?.actual ?? null).toBeNull();
    expect(s.explanation).toMatch(/无数据/);

    // The county's own dashboard judges its share against its own residents.
    const own = await call(app, a.admin, 'GET', `/api/v1/indicator-status?planId=${a.planId}&asOf=${ASOF}`);
    const assigned = alloc.counties.find((c) => c.jurisdictionId === a.id)!.countyIndicatorId;
    const mine = (own.json().indicators as StatusRow[]).find((i) => i.indicatorId === assigned)!;
    expect(mine.actual, JSON.stringify(mine)).toBeCloseTo(90, 6);
    expect(mine.status).toBe('green');
  });
});
