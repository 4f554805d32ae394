import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../context';
import type { Db } from '../../db/database';
import { prepareDatabase } from '../../setup';
import { DIALECTS, describeEachDialect, openTestDatabase } from '../../test/env';
import { samplePlanId } from '../../test/plans-factory';
import { tableRowCounts } from '../../test/row-counts';
import { runKesu } from '../../test/spawn';
import { call } from '../../test/reporting-factory';
import { demoStatus, lastQuarters, loadDemoData, removeDemoData } from './demo.service';

const TODAY = '2026-02-10';

const rowCounts = (db: Db) => tableRowCounts(db.kysely);

/**
 * What the demo made, independent of generated ids (the counties' units and plans are made anew by every load):
 * one line per report with its values.
 */
async function fingerprint(db: Db): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('progress_reports as r')
    .innerJoin('reporting_cycles as c', 'c.id', 'r.cycle_id')
    .innerJoin('plans as p', 'p.id', 'c.plan_id')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
    .leftJoin('report_values as v', 'v.report_id', 'r.id')
    .leftJoin('indicators as i', 'i.id', 'v.indicator_id')
    .select(['c.name', 'p.title', 'u.name as unit', 't.path', 'r.state', 'i.text', 'v.county_id', 'v.value'])
    .where('r.demo_batch_id', 'is not', null)
    .execute();
  return rows
    .map((r) => [r.name, r.title, r.unit, r.path, r.state, r.text, r.county_id, r.value].join('|'))
    .sort();
}

describe('lastQuarters', () => {
  it('gives the eight complete quarters before today, oldest first', () => {
    const q = lastQuarters('2026-02-10');
    expect(q).toHaveLength(8);
    expect(q[0]).toEqual({ start: '2024-01-01', end: '2024-03-31', name: '2024年第1季度' });
    expect(q[7]).toEqual({ start: '2025-10-01', end: '2025-12-31', name: '2025年第4季度' });
    expect(lastQuarters('2025-04-01')[7]!.end).toBe('2025-03-31');
  });
});

describeEachDialect('demo data', (env) => {
  let before: Record<string, number> = {};
  let admin = '';

  beforeAll(async () => {
    admin = (await env().makeUser('admin')).cookie;
    before = await rowCounts(env().db);
  });

  it('loads two years of plausible, marked, reproducible reports for the sample plan', async () => {
    const { db } = env();
    const r = await loadDemoData(db.kysely, systemCtx(), { today: TODAY });
    const planId = await samplePlanId(db.kysely);
    // Eight quarters of the sample plan, and the same eight of each demo county's plan (demo-counties.test.ts).
    expect(r.counts.reporting_cycles).toBe(8 * 3);
    expect(r.counts.progress_reports).toBeGreaterThan(100);
    // Values only for the indicators typed into reports: the registry-bound ones are computed (demo-resources.ts).
    expect(r.counts.report_values).toBeGreaterThan(20);
    const typedIntoBound = await db.kysely
      .selectFrom('report_values as v')
      .innerJoin('indicator_bindings as b', 'b.indicator_id', 'v.indicator_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(typedIntoBound.n)).toBe(0);
    const after = await rowCounts(db);
    // Every row made carries the batch id.
    for (const t of ['reporting_cycles', 'progress_reports', 'report_values', 'report_events'] as const) {
      const marked = await db.kysely
        .selectFrom(t)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('demo_batch_id', '=', r.batchId)
        .executeTakeFirstOrThrow();
      expect(after[t]! - before[t]!).toBe(Number(marked.n));
      expect(Number(marked.n)).toBe(r.counts[t]);
    }
    // A few returned, some missing in the latest cycle, most approved.
    const states = await db.kysely
      .selectFrom('progress_reports')
      .select(['state', (eb) => eb.fn.countAll().as('n')])
      .where('demo_batch_id', '=', r.batchId)
      .groupBy('state')
      .execute();
    const by = Object.fromEntries(states.map((s) => [s.state, Number(s.n)]));
    expect(by.approved).toBeGreaterThan(by.returned ?? 0);
    expect(by.returned ?? 0).toBeGreaterThan(0);
    const cycles = await db.kysely
      .selectFrom('reporting_cycles')
      .select(['id', 'state'])
      .where('demo_batch_id', '=', r.batchId)
      .where('plan_id', '=', planId)
      .orderBy('period_end')
      .execute();
    expect(cycles.map((c) => c.state)).toEqual([...Array(6).fill('locked'), 'closed', 'open']);
    const assignments = await db.kysely
      .selectFrom('plan_task_units as a')
      .innerJoin('plan_tasks as t', 't.id', 'a.task_id')
      .innerJoin('reporting_cycles as c', 'c.version_id', 't.version_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('c.id', '=', cycles[7]!.id)
      .executeTakeFirstOrThrow();
    const latest = await db.kysely
      .selectFrom('progress_reports')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('cycle_id', '=', cycles[7]!.id)
      .executeTakeFirstOrThrow();
    expect(Number(latest.n)).toBeLessThan(Number(assignments.n));

    // Around 序时进度: the status of the plan shows greens and some behind.
    const status = (
      await call(env().app, admin, 'GET', `/api/v1/indicator-status?planId=${planId}&asOf=2025-12-31`)
    ).json();
    expect(status.counts.green).toBeGreaterThan(0);
    expect(status.counts.yellow + status.counts.red).toBeGreaterThan(0);
    const list = (await call(env().app, admin, 'GET', `/api/v1/reports?cycleId=${cycles[7]!.id}`)).json();
    expect(list.items[0].isDemo).toBe(true);
    const shown = (await call(env().app, admin, 'GET', '/api/v1/demo')).json();
    expect(shown.isLoaded).toBe(true);
    // Demo data never reaches the public dashboard.
    const publish = await call(env().app, admin, 'POST', '/api/v1/dashboards/snapshots', {
      cycleId: cycles[7]!.id,
    });
    expect(publish.statusCode, publish.body).toBe(409);
    expect(publish.json().error.message).toContain('演示数据');

    // The demo carries a generated survey wave (marked, never published), so monitoring is never empty.
    expect(r.counts.survey_waves).toBe(1);
    const waves = (await call(env().app, admin, 'GET', '/api/v1/surveys/waves')).json().items as {
      id: string;
      name: string;
      year: number;
      isDemo: boolean;
      isPublished: boolean;
      version: number;
    }[];
    const demoWave = waves.find((w) => w.isDemo);
    expect(demoWave).toMatchObject({ year: 2025, isPublished: false });
    expect(demoWave!.name).toContain('演示');
    const detail = (await call(env().app, admin, 'GET', `/api/v1/surveys/waves/${demoWave!.id}`)).json();
    const headline = detail.estimates.find(
      (e: { variable: string; by: string | null; method: string }) =>
        e.variable === 'literate' && e.by === null && e.method === 'linearization',
    );
    // Around Xuzhou's rates (a little under the 15% target), with a design-based CI.
    expect(headline.estimate).toBeGreaterThan(0.08);
    expect(headline.estimate).toBeLessThan(0.2);
    expect(headline.ciLow).toBeLessThan(headline.estimate);
    expect(detail.estimates.some((e: { by: string | null }) => e.by === 'district')).toBe(true);
    const publishWave = await call(env().app, admin, 'PATCH', `/api/v1/surveys/waves/${demoWave!.id}`, {
      version: demoWave!.version,
      isPublished: true,
    });
    expect(publishWave.statusCode, publishWave.body).toBe(409);
    expect(publishWave.json().error.message).toContain('演示数据');

    // A second load is refused; the same seed and day give the same data again.
    await expect(loadDemoData(db.kysely, systemCtx(), { today: TODAY })).rejects.toThrow('演示数据已载入');
    const first = await fingerprint(db);
    await removeDemoData(db.kysely, systemCtx());
    await loadDemoData(db.kysely, systemCtx(), { today: TODAY });
    expect(await fingerprint(db)).toEqual(first);
  });

  it('removing leaves every table as before (the audit log keeps the load and the removal)', async () => {
    const { db } = env();
    const auditBefore = (await rowCounts(db)).audit_log!;
    const deleted = await removeDemoData(db.kysely, systemCtx());
    expect(deleted.progress_reports).toBeGreaterThan(0);
    const after = await rowCounts(db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect(after.audit_log).toBe(auditBefore + 1);
    const actions = await db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'demo.%')
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual([
      'demo.load',
      'demo.load',
      'demo.remove',
      'demo.remove',
    ]);
    expect((await demoStatus(db.kysely)).isLoaded).toBe(false);
    await expect(removeDemoData(db.kysely, systemCtx())).rejects.toThrow('没有演示数据');
  });

  it('ends with the plan: loaded a year after the plan period, its quarters stop at the plan end', async () => {
    const { db } = env();
    await loadDemoData(db.kysely, systemCtx(), { today: '2026-12-04' });
    const cycles = await db.kysely
      .selectFrom('reporting_cycles')
      .select(['period_end'])
      .where('demo_batch_id', 'is not', null)
      .where('plan_id', '=', await samplePlanId(db.kysely))
      .orderBy('period_end')
      .execute();
    expect(cycles).toHaveLength(8);
    // 徐政发〔2022〕13号 runs to the end of 2025.
    expect(cycles.at(-1)?.period_end).toBe('2025-12-31');
    await removeDemoData(db.kysely, systemCtx());
  });
});

for (const dialect of DIALECTS) {
  describe(`demo data on a new database and kesu demo [${dialect}]`, () => {
    let t: Awaited<ReturnType<typeof openTestDatabase>>;
    beforeAll(async () => {
      t = await openTestDatabase(dialect, { SEED_DEMO: 'true' });
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('prepareDatabase loads it once, on a new database only; `kesu demo remove` and `load` work', async () => {
      const s = await demoStatus(t.db.kysely);
      expect(s.isLoaded).toBe(true);
      const again = await prepareDatabase(t.db, t.config);
      expect(again.demo).toBeNull();
      const env = {
        DATA_DIR: t.config.dataDir,
        DATABASE_URL: t.config.database.kind === 'postgres' ? t.config.database.url : '',
      };
      const removed = runKesu(['demo', 'remove'], env);
      expect(removed.status, removed.stderr).toBe(0);
      expect(removed.stdout).toContain('已删除演示数据');
      expect((await demoStatus(t.db.kysely)).isLoaded).toBe(false);
      const marked = await t.db.kysely
        .selectFrom('progress_reports')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('demo_batch_id', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(Number(marked.n)).toBe(0);
      const none = runKesu(['demo', 'remove'], env);
      expect(none.status).toBe(2);
      expect(none.stderr).toContain('没有演示数据');
      const loaded = runKesu(['demo', 'load'], env);
      expect(loaded.status, loaded.stderr).toBe(0);
      expect((await demoStatus(t.db.kysely)).isLoaded).toBe(true);
    }, 120_000);
  });
}
