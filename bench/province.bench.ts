import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../server/src/config';
import { systemCtx } from '../server/src/context';
import { type Db, openDatabase } from '../server/src/db/database';
import type { Database } from '../server/src/db/schema';
import { newId } from '../server/src/ids';
import { hashPassword } from '../server/src/modules/credentials/password';
import { rootJurisdictionId } from '../server/src/modules/jurisdictions/jurisdictions.service';
import { insertUser } from '../server/src/modules/users/users.service';
import { prepareDatabase } from '../server/src/setup';
import { benchEngines, freePort, load, printTable, startServer, stopServer, waitReady, signIn } from './lib';
import {
  bulkTransaction,
  createBenchDatabase,
  lastQuarters,
  PASSWORD,
  seedPlanHistory,
  type UnitRef,
} from './seed';

/** The 13 cities of 江苏省 (GB/T 2260), each given 10 generated counties. */
const CITIES = [
  ['南京市', '320100'],
  ['无锡市', '320200'],
  ['徐州市', '320300'],
  ['常州市', '320400'],
  ['苏州市', '320500'],
  ['南通市', '320600'],
  ['连云港市', '320700'],
  ['淮安市', '320800'],
  ['盐城市', '320900'],
  ['扬州市', '321000'],
  ['镇江市', '321100'],
  ['泰州市', '321200'],
  ['宿迁市', '321300'],
] as const;
const COUNTIES_PER_CITY = 10;
const UNITS = 30;
/** 50 numbered tasks, 5 in each of the 10 groups. */
const TASKS_PER_GROUP = Array.from({ length: 10 }, () => 5);
const INDICATORS = 20;
const QUARTERS = 20;
/** The city whose admin is measured (its plan, its 10 counties). */
const MEASURED_CITY = '徐州市';

interface Place {
  id: string;
  name: string;
  code: string;
  level: 'province' | 'city' | 'county';
  parentId: string | null;
  path: string;
  /** The unit standing for it in its parent's plan (none for the province). */
  governmentUnit: UnitRef | null;
  children: Place[];
}

/**
 * A province written straight to the tables: the root jurisdiction made 江苏省 (320000), 13 cities under it and 10
 * counties under each; every one of the 144 with 30 units of its own and its own plan (50 tasks, 20 indicators) with
 * 20 quarterly cycles of reports (seed.ts). A city's government unit (南京市人民政府) is a unit of the province, a
 * county's of its city, linked by jurisdictions.government_unit_id as migration 0130 links Xuzhou's counties; the
 * province plan breaks its indicators down by the city units, a city plan by its county units, a county plan not at
 * all. Each county has population figures for the years of the history.
 */
export async function seedProvince(
  db: Db,
): Promise<{ province: Place; city: Place; counts: Record<string, number> }> {
  const now = new Date().toISOString();
  const rootId = (await rootJurisdictionId(db.kysely))!;
  const quarters = lastQuarters(QUARTERS);
  const years = [...new Set(quarters.map((q) => q.year))];
  const counts: Record<string, number> = {
    jurisdictions: 1,
    units: 0,
    plans: 0,
    tasks: 0,
    indicators: 0,
    cycles: 0,
    reports: 0,
    events: 0,
    values: 0,
  };
  const province: Place = {
    id: rootId,
    name: '江苏省',
    code: '320000',
    level: 'province',
    parentId: null,
    path: `/${rootId}/`,
    governmentUnit: null,
    children: [],
  };
  const place = (parent: Place, name: string, code: string, level: 'city' | 'county'): Place => {
    const id = newId();
    const p: Place = {
      id,
      name,
      code,
      level,
      parentId: parent.id,
      path: `${parent.path}${id}/`,
      governmentUnit: { id: newId(), short_name: name },
      children: [],
    };
    parent.children.push(p);
    return p;
  };
  for (const [name, code] of CITIES) {
    const city = place(province, name, code, 'city');
    for (let k = 1; k <= COUNTIES_PER_CITY; k++) {
      place(
        city,
        `${name.slice(0, -1)}基准县${k}`,
        `${code.slice(0, 4)}${String(k).padStart(2, '0')}`,
        'county',
      );
    }
  }
  const all = [province, ...province.children.flatMap((c) => [c, ...c.children])];

  await bulkTransaction(db, async (trx, bulk) => {
    await trx
      .updateTable('jurisdictions')
      .set({ code: province.code, name: province.name, short_name: province.name, level: 'province' })
      .where('id', '=', rootId)
      .execute();
    // Jurisdictions first (units belong to one), then units, then each jurisdiction's link to its unit.
    await bulk.insert(
      'jurisdictions',
      all
        .filter((p) => p.parentId !== null)
        .map((p, i) => ({
          id: p.id,
          code: p.code,
          name: p.name,
          short_name: p.name,
          level: p.level,
          parent_id: p.parentId,
          path: p.path,
          government_unit_id: null,
          sort_order: i + 1,
          version: 1,
          created_at: now,
          updated_at: now,
        })),
    );
    const unitsOf = new Map<string, UnitRef[]>();
    const units: Database['units'][] = [];
    const unit = (p: Place, ref: UnitRef, name: string, kind: string, code: string | null) =>
      units.push({
        id: ref.id,
        jurisdiction_id: p.id,
        kind,
        name,
        short_name: ref.short_name,
        aliases: '[]',
        region_code: code,
        is_active: 1,
        sort_order: units.length + 1,
        merged_into_id: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    for (const p of all) {
      const own = Array.from({ length: UNITS }, (_, i) => ({ id: newId(), short_name: `基准${i + 1}` }));
      unitsOf.set(p.id, own);
      own.forEach((u, i) => {
        unit(p, u, `${p.name}基准测试单位${i + 1}`, 'department', null);
      });
      // A child's government unit is one of this jurisdiction's units: a city's is a 'city' (设区市) of the province,
      // a county's a 'county' of its city.
      for (const c of p.children) {
        unit(p, c.governmentUnit!, `${c.name}人民政府`, c.level === 'county' ? 'county' : 'city', c.code);
      }
    }
    await bulk.insert('units', units);
    for (const p of all) {
      if (!p.governmentUnit) continue;
      await trx
        .updateTable('jurisdictions')
        .set({ government_unit_id: p.governmentUnit.id })
        .where('id', '=', p.id)
        .execute();
    }
    const counties = all.filter((p) => p.level === 'county');
    await bulk.insert(
      'population_margins',
      counties.flatMap((c, i) =>
        years.map((year) => ({
          id: newId(),
          year,
          dimension: 'county',
          level: c.name,
          population: 400_000 + 20_000 * (i % 20),
          source: '基准测试生成（非真实数据）',
          sort_order: i,
          updated_by: null,
          updated_at: now,
        })),
      ),
    );
    counts.jurisdictions = all.length;
    counts.units = units.length;

    for (const [i, p] of all.entries()) {
      const h = await seedPlanHistory(trx, bulk, {
        jurisdictionId: p.id,
        title: `${p.name}全民科学素质行动规划实施方案（基准测试生成）`,
        units: unitsOf.get(p.id)!,
        areas: p.children.map((c) => c.governmentUnit!),
        tasksPerGroup: TASKS_PER_GROUP,
        indicators: INDICATORS,
        quarters,
        seed: 20260101 + i,
      });
      counts.plans! += 1;
      for (const k of ['tasks', 'indicators', 'cycles', 'reports', 'events', 'values'] as const) {
        counts[k]! += h.counts[k];
      }
    }
  });
  const city = province.children.find((c) => c.name === MEASURED_CITY)!;
  return { province, city, counts };
}

/** A province seeded on an earlier run (BENCH_KEEP_SQLITE): its root, the city admin's city, nothing counted. */
export async function seededProvince(db: ReturnType<typeof openDatabase>) {
  const rows = await db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'name', 'parent_id', 'level'])
    .execute();
  const province = rows.find((r) => r.parent_id === null)!;
  const admin = await db.kysely
    .selectFrom('users')
    .select('jurisdiction_id')
    .where('username', '=', 'city-admin')
    .executeTakeFirstOrThrow();
  const city = rows.find((r) => r.id === admin.jurisdiction_id)!;
  return {
    province: { id: province.id, name: province.name },
    city: { id: city.id, name: city.name },
    counts: {} as Record<string, number>,
  };
}

async function benchOne(
  kind: 'sqlite' | 'postgres',
  seconds: number,
): Promise<Record<string, string | number>[] | null> {
  // No reminders in the measured server: on a fresh province its first pass would send every overdue notice of
  // the 144 open cycles (~4,300, a transaction each) during the measurement, which a running kesu sent long ago.
  const settings = {
    LOG_LEVEL: 'warn',
    SEED_SAMPLE: 'false',
    SEED_DEMO: 'false',
    REMINDER_INTERVAL_MINUTES: '0',
  };
  // BENCH_KEEP_SQLITE=<dir>: seed the SQLite province there once and reuse it on later runs (to profile changes
  // without three minutes of seeding each time); the directory is kept.
  // BENCH_KEEP_POSTGRES=<url of an existing, empty or earlier-seeded database>: the same for PostgreSQL.
  const keep = kind === 'sqlite' ? process.env.BENCH_KEEP_SQLITE : process.env.BENCH_KEEP_POSTGRES;
  let reuse = false;
  if (keep && kind === 'sqlite') {
    reuse = fs.existsSync(path.join(keep, 'kesu.db'));
    fs.mkdirSync(keep, { recursive: true });
  } else if (keep) {
    const c = new pg.Client({ connectionString: keep });
    await c.connect();
    const r = await c.query("select to_regclass('public.jurisdictions') is not null as made");
    reuse = r.rows[0].made && (await c.query('select count(*)::int as n from plans')).rows[0].n > 0;
    await c.end();
  }
  const keptDir = kind === 'postgres' && keep ? fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bench-')) : keep;
  const created = keep
    ? {
        env: { ...settings, DATA_DIR: keptDir!, DATABASE_URL: kind === 'sqlite' ? '' : keep },
        remove: async () => {},
      }
    : await createBenchDatabase(kind, settings);
  if (!created) return null;
  const { env } = created;
  let server: ReturnType<typeof startServer> | null = null;
  try {
    const config = loadConfig(env);
    const db = openDatabase(config.database);
    await prepareDatabase(db, config);
    const t0 = performance.now();
    const { province, city, counts } = reuse ? await seededProvince(db) : await seedProvince(db);
    const seeded = performance.now() - t0;
    // The province's admin is the first start's (at the root); a city's admin works in the city, with no unit.
    if (!reuse)
      await db.kysely.transaction().execute((trx) =>
        insertUser(trx, systemCtx(), {
          username: 'city-admin',
          displayName: `${city.name}管理员`,
          role: 'admin',
          jurisdictionId: city.id,
          unitId: null,
        }),
      );
    await db.kysely
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
      .where('username', 'in', ['admin', 'city-admin'])
      .execute();
    await db.close();
    console.log(
      `${kind}: seeded ${Object.entries(counts)
        .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
        .join(', ')} in ${(seeded / 1000).toFixed(1)} s`,
    );

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServer(env, port);
    await waitReady(`${base}/readyz`, 60_000);
    const rows: Record<string, string | number>[] = [];
    for (const [reader, username, own] of [
      ['province admin', 'admin', province],
      ['city admin', 'city-admin', city],
    ] as const) {
      const cookie = await signIn(base, username, PASSWORD);
      // No planId: the overview of the reader's own jurisdiction's plan, as the dashboard asks for it.
      const url = `${base}/api/v1/dashboards/overview`;
      const c0 = performance.now();
      const first = await fetch(url, { headers: { cookie } });
      const cold = performance.now() - c0;
      const text = await first.text();
      const body = JSON.parse(text) as {
        planTitle?: string;
        units?: unknown[];
        counties?: { counties: unknown[] };
      };
      if (first.status !== 200 || !body.planTitle?.startsWith(own.name) || body.units?.length !== UNITS) {
        throw new Error(`unexpected ${reader} overview: ${first.status} ${text.slice(0, 300)}`);
      }
      await load(url, { seconds: 2, headers: { cookie } }); // warm-up
      const r = await load(url, { seconds, headers: { cookie } });
      rows.push({
        database: kind,
        overview: `${reader} (${own.name})`,
        'cold ms': Math.round(cold),
        'req/s': Math.round(r.requestsPerSecond),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        errors: r.errors + r.non2xx,
        'of which timeouts': r.timeouts,
        'KiB/response': Math.round(Buffer.byteLength(text) / 1024),
        // The county comparison's columns: the plan's own children (13 cities, or a city's 10 counties).
        'counties shown': body.counties?.counties.length ?? 0,
      });
    }
    return rows;
  } finally {
    await stopServer(server);
    await created.remove();
  }
}

/**
 * GET /api/v1/dashboards/overview in a province of 13 cities × 10 counties, every one of the 144 jurisdictions with
 * its own plan (50 tasks), 30 units and 20 quarterly cycles of reports (~4.3 million reports in all): the province
 * admin's overview (the province's plan) and a city admin's (the city's plan), each signed in, 50 connections, on
 * SQLite and on a temporary PostgreSQL database (dropped after). Aim: p99 < 100 ms. Prints figures only.
 */
export async function benchProvince(seconds: number): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (const kind of benchEngines()) rows.push(...((await benchOne(kind, seconds)) ?? []));
  printTable(
    `GET /api/v1/dashboards/overview in a province (13 cities × 10 counties, 144 plans), 50 connections, ${seconds} s (aim p99 < 100 ms)`,
    rows,
  );
}
