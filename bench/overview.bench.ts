import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { populationGroupOfTitle } from '@kesu/shared';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../server/src/config';
import { systemCtx } from '../server/src/context';
import { openDatabase } from '../server/src/db/database';
import type { Database } from '../server/src/db/schema';
import { newId } from '../server/src/ids';
import { hashPassword } from '../server/src/modules/credentials/password';
import { insertUnit } from '../server/src/modules/units/units.service';
import { prepareDatabase } from '../server/src/setup';
import { freePort, load, printTable, startNode, waitReady } from './lib';

const PASSWORD = 'Bench-password-2026';
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const UNITS = 30;
const YEARS = 5;
const CYCLES_PER_YEAR = 4;
const GROUPS = [
  '实施青少年科学素质提升行动',
  '实施农民科学素质提升行动',
  '实施产业工人科学素质提升行动',
  '实施老年人科学素质提升行动',
  '实施领导干部和公务员科学素质提升行动',
  '实施科技资源科普化工程',
  '实施科普信息化提升工程',
  '实施科普基础设施工程',
  '实施基层科普能力提升工程',
  '实施科学素质开放合作工程',
];
/** 33 numbered tasks over the 10 groups, as in the Xuzhou plan. */
const TASKS_PER_GROUP = [4, 3, 3, 3, 3, 4, 3, 4, 3, 3];

/** Rows are inserted in chunks so no statement exceeds either engine's parameter limit. */
async function insertMany<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  rows: Database[T][],
  chunk = 400,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto(table)
      // biome-ignore lint/suspicious/noExplicitAny: one helper for every table's row type
      .values(rows.slice(i, i + chunk) as any)
      .execute();
  }
}

/** A deterministic pseudo-random sequence, so every run generates the same history. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const iso = (d: string, hour = 3) => `${d}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const addDays = (d: string, n: number) => {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};

/**
 * A five-year history written straight through Kysely in bulk (not through HTTP): one plan of 10 groups and 33
 * tasks, each assigned to all 30 units (one leads); 20 indicators (10 population shares and 5 cumulative counts by
 * 10 counties, 5 annual city-wide counts); 20 quarterly cycles ending before today, every unit reporting on every
 * task (19,800 reports, each unit entering every indicator of its task — by county where broken down), all approved
 * but the open last cycle's, where some are submitted, late, draft or missing.
 */
export async function generateHistory(
  db: Kysely<Database>,
): Promise<{ cycleId: string; counts: Record<string, number> }> {
  const ctx = systemCtx();
  const now = new Date().toISOString();
  const rand = rng(20260101);
  let units = await db
    .selectFrom('units')
    .select(['id', 'short_name'])
    .where('kind', '!=', 'county')
    .orderBy('sort_order')
    .execute();
  await db.transaction().execute(async (trx) => {
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
  });
  units = (
    await db
      .selectFrom('units')
      .select(['id', 'short_name'])
      .where('kind', '!=', 'county')
      .orderBy('sort_order')
      .execute()
  ).slice(0, UNITS);
  let counties = await db
    .selectFrom('units')
    .select(['id', 'short_name'])
    .where('kind', '=', 'county')
    .orderBy('sort_order')
    .execute();
  await db.transaction().execute(async (trx) => {
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
  counties = (
    await db
      .selectFrom('units')
      .select(['id', 'short_name'])
      .where('kind', '=', 'county')
      .orderBy('sort_order')
      .execute()
  ).slice(0, 10);

  const lastYear = new Date().getUTCFullYear();
  const firstYear = lastYear - YEARS;
  // 20 quarters ending before today: from Q(current) of firstYear … the last completed quarter.
  const quarters: { start: string; end: string; name: string; year: number }[] = [];
  for (let y = firstYear; y <= lastYear; y++) {
    for (let q = 0; q < 4; q++) {
      const start = `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
      const end = addDays(
        `${q === 3 ? y + 1 : y}-${String(q === 3 ? 1 : q * 3 + 4).padStart(2, '0')}-01`,
        -1,
      );
      if (end < now.slice(0, 10)) quarters.push({ start, end, name: `${y}年第${q + 1}季度`, year: y });
    }
  }
  const cycles = quarters.slice(-YEARS * CYCLES_PER_YEAR);

  const years = [...new Set(cycles.map((c) => c.year))];
  await insertMany(
    db,
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

  const planId = newId();
  const versionId = newId();
  await db
    .insertInto('plans')
    .values({
      id: planId,
      title: '基准测试规划（生成数据）',
      issuer: null,
      doc_number: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('plan_versions')
    .values({
      id: versionId,
      plan_id: planId,
      number: 1,
      title: '基准测试规划（生成数据）',
      issuer: null,
      doc_number: null,
      doc_date: cycles[0]!.start,
      file_name: null,
      note: '',
      source_text: '',
      source_sha256: '',
      warnings: '[]',
      is_published: 1,
      published_at: now,
      created_by: null,
      created_at: now,
    })
    .execute();
  const task = (
    path: string,
    parent: string | null,
    depth: number,
    title: string,
    group: string | null,
    order: number,
  ) => ({
    id: newId(),
    version_id: versionId,
    parent_id: parent,
    path,
    label: path,
    kind: depth === 1 ? 'part' : depth === 2 ? 'group' : 'item',
    depth,
    title,
    population_group: group,
    sort_order: order,
    spans: null,
    version: 1,
    created_at: now,
    updated_at: now,
  });
  const root = task('3', null, 1, '重点任务', null, 1);
  const tasks = [root];
  const leaves: (typeof root)[] = [];
  GROUPS.forEach((title, g) => {
    const pop = populationGroupOfTitle(title);
    const group = task(`3.${g + 1}`, root.id, 2, title, pop, tasks.length + 1);
    tasks.push(group);
    for (let k = 0; k < TASKS_PER_GROUP[g]!; k++) {
      const leaf = task(
        `3.${g + 1}.${k + 1}`,
        group.id,
        3,
        `${title.slice(2, 8)}任务${k + 1}`,
        pop,
        tasks.length + 1,
      );
      tasks.push(leaf);
      leaves.push(leaf);
    }
  });
  await insertMany(db, 'plan_tasks', tasks);
  await insertMany(
    db,
    'plan_task_units',
    leaves.flatMap((t) =>
      units.map((u, i) => ({
        id: newId(),
        task_id: t.id,
        unit_id: u.id,
        role: i === leaves.indexOf(t) % UNITS ? 'lead' : 'co',
        written_name: u.short_name,
        sort_order: i,
      })),
    ),
  );
  // 20 indicators on the first 20 tasks: 10 population shares and 5 cumulative counts by county, 5 annual counts.
  const indicators = leaves.slice(0, 20).map((t, i) => {
    const kind = i < 10 ? 'population_share' : i < 15 ? 'cumulative' : 'annual';
    return {
      id: newId(),
      task_id: t.id,
      kind,
      text:
        kind === 'population_share'
          ? '年科普活动覆盖面达到县域常住人口的80%以上'
          : kind === 'cumulative'
            ? '到期创建示范基地100个'
            : '每年培训1000人',
      comparator: '>=',
      target_value: kind === 'population_share' ? '80' : kind === 'cumulative' ? '100' : '1000',
      unit: kind === 'population_share' ? '%' : kind === 'cumulative' ? '个' : '人',
      period: kind === 'cumulative' ? null : 'year',
      deadline: kind === 'cumulative' ? `${lastYear}-12-31` : null,
      baseline_value: null,
      baseline_year: null,
      breakdown_by_county: kind === 'annual' ? 0 : 1,
      sort_order: 1,
      span: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
  });
  await insertMany(db, 'indicators', indicators);
  await insertMany(
    db,
    'indicator_breakdowns',
    indicators
      .filter((i) => i.kind === 'cumulative')
      .flatMap((i) =>
        counties.map((c) => ({ id: newId(), indicator_id: i.id, unit_id: c.id, target_value: '10' })),
      ),
  );
  const indicatorsOf = new Map(leaves.map((t) => [t.id, indicators.filter((i) => i.task_id === t.id)]));

  let reportCount = 0;
  let valueCount = 0;
  let latestCycleId = '';
  for (const [ci, c] of cycles.entries()) {
    const isLast = ci === cycles.length - 1;
    const cycleId = newId();
    latestCycleId = cycleId;
    const due = addDays(c.end, 15);
    await db
      .insertInto('reporting_cycles')
      .values({
        id: cycleId,
        plan_id: planId,
        version_id: versionId,
        name: c.name,
        frequency: 'quarterly',
        period_start: c.start,
        period_end: c.end,
        due_date: due,
        grace_days: 5,
        state: isLast ? 'open' : 'locked',
        closed_at: isLast ? null : iso(addDays(due, 30)),
        locked_at: isLast ? null : iso(addDays(due, 30)),
        created_by: null,
        version: 1,
        created_at: iso(c.start),
        updated_at: iso(c.start),
      })
      .execute();
    const reports: Database['progress_reports'][] = [];
    const events: Database['report_events'][] = [];
    const values: Database['report_values'][] = [];
    const quarterInYear = Number(c.start.slice(5, 7)) / 3 + 2 / 3;
    for (const t of leaves) {
      for (const u of units) {
        const roll = rand();
        // The open last cycle: 5% never opened, 5% drafts, 10% submitted, the rest approved; 15% late throughout.
        if (isLast && roll < 0.05) continue;
        const state = !isLast ? 'approved' : roll < 0.1 ? 'draft' : roll < 0.2 ? 'submitted' : 'approved';
        const submitted = state === 'draft' ? null : iso(addDays(due, rand() < 0.15 ? 9 : -3));
        const id = newId();
        reports.push({
          id,
          cycle_id: cycleId,
          unit_id: u.id,
          task_id: t.id,
          state,
          progress: 'in_progress',
          narrative: '基准测试生成的报告',
          prefilled_from_id: null,
          review_comment: '',
          submitted_at: submitted,
          submitted_by: null,
          reviewed_at: state === 'approved' ? iso(addDays(due, 12)) : null,
          reviewed_by: null,
          created_by: null,
          version: state === 'approved' ? 4 : state === 'submitted' ? 3 : 2,
          created_at: iso(c.end),
          updated_at: submitted ?? iso(c.end),
        });
        events.push({
          id: newId(),
          report_id: id,
          action: 'create',
          comment: '',
          actor_id: null,
          actor_name: null,
          at: iso(c.end),
        });
        if (submitted)
          events.push({
            id: newId(),
            report_id: id,
            action: 'submit',
            comment: '',
            actor_id: null,
            actor_name: null,
            at: submitted,
          });
        if (state === 'approved')
          events.push({
            id: newId(),
            report_id: id,
            action: 'approve',
            comment: '',
            actor_id: null,
            actor_name: null,
            at: iso(addDays(due, 12)),
          });
        for (const ind of indicatorsOf.get(t.id) ?? []) {
          const yearsIn = c.year - cycles[0]!.year + quarterInYear / 4;
          const level =
            ind.kind === 'population_share'
              ? 90_000 * quarterInYear * (0.7 + 0.5 * rand())
              : ind.kind === 'cumulative'
                ? Math.round(2 * yearsIn * (0.6 + 0.6 * rand()))
                : Math.round(250 * quarterInYear * (0.6 + 0.6 * rand()));
          const scopes = ind.breakdown_by_county === 1 ? counties.map((x) => x.id) : [null];
          for (const county of scopes) {
            values.push({
              id: newId(),
              report_id: id,
              indicator_id: ind.id,
              county_id: county,
              value: String(Math.round(level)),
              note: '',
              is_prefilled: 0,
            });
          }
        }
      }
    }
    await db.transaction().execute(async (trx) => {
      await insertMany(trx, 'progress_reports', reports);
      await insertMany(trx, 'report_events', events);
      await insertMany(trx, 'report_values', values);
    });
    reportCount += reports.length;
    valueCount += values.length;
  }
  return {
    cycleId: latestCycleId,
    counts: {
      units: units.length,
      tasks: leaves.length,
      indicators: indicators.length,
      counties: counties.length,
      cycles: cycles.length,
      reports: reportCount,
      values: valueCount,
    },
  };
}

async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const name = `kesu_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function benchOne(
  kind: 'sqlite' | 'postgres',
  seconds: number,
): Promise<Record<string, string | number> | null> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bench-overview-'));
  let drop: (() => Promise<void>) | null = null;
  let databaseUrl = '';
  if (kind === 'postgres') {
    const created = await createPgDatabase();
    if (!created) {
      console.log(`PostgreSQL not reachable at ${PG_ADMIN_URL}: skipped`);
      return null;
    }
    databaseUrl = created.url;
    drop = created.drop;
  }
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', SEED_DEMO: 'false' };
  let server: ReturnType<typeof startNode> | null = null;
  try {
    const config = loadConfig(env);
    const db = openDatabase(config.database);
    await prepareDatabase(db, config);
    const t0 = performance.now();
    const { cycleId, counts } = await generateHistory(db.kysely);
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
    const profile = process.env.BENCH_PROFILE_DIR;
    const profileArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
    server = startNode([...profileArgs, 'server/bin/kesu.js', 'serve'], {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    await waitReady(`${base}/readyz`, 60_000);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
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
    if (server && server.exitCode === null) {
      // SIGTERM lets a profiled server write its profile on the way out.
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill(process.env.BENCH_PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (drop) await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * GET /api/v1/dashboards/overview of the last cycle over a generated five-year history (30 units × 33 tasks × 4
 * cycles a year, 20 indicators by 10 counties), signed in, 50 connections, on SQLite and on a temporary PostgreSQL
 * database (dropped after). The server runs in its own process. Aim: p99 < 50 ms. Prints figures only.
 */
export async function benchOverview(seconds: number): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  // BENCH_DATABASES=sqlite (or postgres) runs one engine; BENCH_PROFILE_DIR writes the server's CPU profile there.
  const only = process.env.BENCH_DATABASES?.split(',');
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (only && !only.includes(kind)) continue;
    const r = await benchOne(kind, seconds);
    if (r) rows.push(r);
  }
  printTable(
    `GET /api/v1/dashboards/overview (5-year history), 50 connections, ${seconds} s (aim p99 < 50 ms)`,
    rows,
  );
}
