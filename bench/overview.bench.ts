import { loadConfig } from '../server/src/config';
import { systemCtx } from '../server/src/context';
import { type Db, openDatabase } from '../server/src/db/database';
import { newId } from '../server/src/ids';
import { hashPassword } from '../server/src/modules/credentials/password';
import { insertUnit } from '../server/src/modules/units/units.service';
import { prepareDatabase } from '../server/src/setup';
import { benchEngines, freePort, load, printTable, startServer, stopServer, waitReady, signIn } from './lib';
import { bulkTransaction, createBenchDatabase, lastQuarters, PASSWORD, seedPlanHistory } from './seed';

const UNITS = 30;
const YEARS = 5;
const CYCLES_PER_YEAR = 4;
/** 33 numbered tasks over the 10 groups, as in the Xuzhou plan. */
const TASKS_PER_GROUP = [4, 3, 3, 3, 3, 4, 3, 4, 3, 3];

/**
 * A five-year history written straight to the tables (seed.ts, not through HTTP): one plan of 10 groups and 33
 * tasks, each assigned to all 30 units (one leads); 20 indicators (10 population shares and 5 cumulative counts by
 * 10 counties, 5 annual city-wide counts); 20 quarterly cycles ending before today, every unit reporting on every
 * task (19,800 reports, each unit entering every indicator of its task — by county where broken down), all approved
 * but the open last cycle's, where some are submitted, late, draft or missing.
 */
export async function generateHistory(db: Db): Promise<{ cycleId: string; counts: Record<string, number> }> {
  const ctx = systemCtx();
  const now = new Date().toISOString();
  const registry = (kind: 'county' | 'other') =>
    db.kysely
      .selectFrom('units')
      .select(['id', 'short_name'])
      .where('kind', kind === 'county' ? '=' : '!=', 'county')
      .orderBy('sort_order')
      .execute();
  let units = await registry('other');
  let counties = await registry('county');
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = units.length; i < UNITS; i++) {
      await insertUnit(trx, ctx, {
        kind: 'department',
        name: `基准测试单位${i}`,
        shortName: `基准${i}`,
        aliases: [],
        regionCode: null,
        sortOrder: 6000 + i,
        jurisdictionId: null,
      });
    }
    for (let i = counties.length; i < 10; i++) {
      await insertUnit(trx, ctx, {
        kind: 'county',
        name: `基准测试县${i}`,
        shortName: `基准县${i}`,
        aliases: [],
        regionCode: null,
        sortOrder: 7000 + i,
        jurisdictionId: null,
      });
    }
  });
  units = (await registry('other')).slice(0, UNITS);
  counties = (await registry('county')).slice(0, 10);

  const quarters = lastQuarters(YEARS * CYCLES_PER_YEAR);
  const years = [...new Set(quarters.map((c) => c.year))];
  return bulkTransaction(db, async (trx, bulk) => {
    await bulk.insert(
      'population_margins',
      counties.flatMap((c, i) =>
        years.map((year) => ({
          id: newId(),
          year,
          dimension: 'county',
          level: c.short_name,
          population: 600_000 + 60_000 * i,
          source: '基准测试生成（非真实数据）',
          sort_order: i,
          updated_by: null,
          updated_at: now,
        })),
      ),
    );
    const { cycleId, counts } = await seedPlanHistory(trx, bulk, {
      jurisdictionId: null,
      title: '基准测试规划（生成数据）',
      units,
      areas: counties,
      tasksPerGroup: TASKS_PER_GROUP,
      indicators: 20,
      quarters,
      seed: 20260101,
    });
    return {
      cycleId,
      counts: {
        units: units.length,
        tasks: counts.tasks,
        indicators: counts.indicators,
        counties: counties.length,
        cycles: counts.cycles,
        reports: counts.reports,
        values: counts.values,
      },
    };
  });
}

async function benchOne(
  kind: 'sqlite' | 'postgres',
  seconds: number,
): Promise<Record<string, string | number> | null> {
  const created = await createBenchDatabase(kind, { LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
  if (!created) return null;
  const { env } = created;
  let server: ReturnType<typeof startServer> | null = null;
  try {
    const config = loadConfig(env);
    const db = openDatabase(config.database);
    await prepareDatabase(db, config);
    const t0 = performance.now();
    const { cycleId, counts } = await generateHistory(db);
    const generated = performance.now() - t0;
    await db.kysely
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
      .where('username', '=', 'admin')
      .execute();
    await db.close();
    console.log(
      `${kind}: generated ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')} in ${(generated / 1000).toFixed(1)} s`,
    );

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServer(env, port);
    await waitReady(`${base}/readyz`, 60_000);
    const cookie = await signIn(base, 'admin', PASSWORD);
    const url = `${base}/api/v1/dashboards/overview?cycleId=${cycleId}`;
    // The first request evaluates every indicator on the whole history (nothing cached yet).
    const c0 = performance.now();
    const first = await fetch(url, { headers: { cookie } });
    const cold = performance.now() - c0;
    const body = (await first.json()) as {
      units: unknown[];
      counties: { indicators: unknown[] };
      counts: unknown;
    };
    if (first.status !== 200 || body.units.length !== UNITS || body.counties.indicators.length !== 15) {
      throw new Error(`unexpected overview: ${first.status} ${JSON.stringify(body).slice(0, 300)}`);
    }
    await load(url, { seconds: 2, headers: { cookie } }); // warm-up
    const r = await load(url, { seconds, headers: { cookie } });
    return {
      database: kind,
      'cold ms': Math.round(cold),
      'req/s': Math.round(r.requestsPerSecond),
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      errors: r.errors + r.non2xx,
      'KiB/response': Math.round(JSON.stringify(body).length / 1024),
    };
  } finally {
    await stopServer(server);
    await created.remove();
  }
}

/**
 * GET /api/v1/dashboards/overview of the last cycle over a generated five-year history (30 units × 33 tasks × 4
 * cycles a year, 20 indicators by 10 counties), signed in, 50 connections, on SQLite and on a temporary PostgreSQL
 * database (dropped after). The server runs in its own process. Aim: p99 < 50 ms. Prints figures only.
 */
export async function benchOverview(seconds: number): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (const kind of benchEngines()) {
    const r = await benchOne(kind, seconds);
    if (r) rows.push(r);
  }
  printTable(
    `GET /api/v1/dashboards/overview (5-year history), 50 connections, ${seconds} s (aim p99 < 50 ms)`,
    rows,
  );
}
