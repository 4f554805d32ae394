// Seeding shared by the benchmarks: a temporary database of either engine, bulk inserts, and a generated plan with a
// history of quarterly reports written straight to the tables (not through HTTP, so seeding costs seconds, not hours).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { populationGroupOfTitle } from '@kesu/shared';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../server/src/db/database';
import type { Database } from '../server/src/db/schema';
import { newId } from '../server/src/ids';

export const PASSWORD = 'Bench-password-2026';
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The ten 行动 and 工程 of part 三 of a 全民科学素质行动规划 (the Xuzhou plan's), the groups of every generated plan. */
export const GROUPS = [
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
] as const;

/** The server's environment for a temporary database, and how to remove it. */
export interface BenchDatabase {
  env: Record<string, string>;
  /** Drops the PostgreSQL database and deletes the data directory. */
  remove(): Promise<void>;
}

/**
 * A fresh, empty database of one engine: SQLite in a new data directory, or a new PostgreSQL database on
 * BENCH_PG_URL (dropped by `remove`). Null when PostgreSQL is not reachable.
 */
export async function createBenchDatabase(
  kind: 'sqlite' | 'postgres',
  env: Record<string, string>,
): Promise<BenchDatabase | null> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bench-'));
  const removeDir = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'sqlite') return { env: { ...env, DATA_DIR: dataDir, DATABASE_URL: '' }, remove: removeDir };
  const name = `kesu_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch {
    await removeDir();
    console.log(`PostgreSQL not reachable at ${PG_ADMIN_URL}: skipped`);
    return null;
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { ...env, DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    remove: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      await removeDir();
    },
  };
}

/** Inserts rows of any table; all rows of one call have the same columns. */
export interface Bulk {
  insert<T extends keyof Database>(table: T, rows: Database[T][]): Promise<void>;
}

/** The tables a history fills by the million. */
const HISTORY_TABLES = ['progress_reports', 'report_events', 'report_values'];

/**
 * Runs `fn` in one transaction with a bulk writer, set up to load millions of rows into a throwaway database:
 * - rows: on SQLite one prepared INSERT per table, run once per row (Kysely's multi-row VALUES loaded ~75,000
 *   rows/s); on PostgreSQL chunks of 10,000 rows, each one `insert … select * from unnest($1::text[], …)` (one
 *   array parameter per column);
 * - the secondary indexes of the history tables dropped first and made again at the end from their own stored
 *   definitions (primary keys and unique constraints stay);
 * - foreign keys not checked during the load (the generator makes every reference itself): SQLite's foreign_keys
 *   off on this connection; on PostgreSQL, as superuser only, session_replication_role = replica (as pg_restore
 *   --disable-triggers does);
 * - SQLite: no rollback journal, no fsync and a 256 MiB page cache on this connection (restored after). The server
 *   that is measured opens the file afresh with the app's own settings.
 * PostgreSQL is vacuumed and analyzed after the commit, as autovacuum would do a minute later — during the
 * measurement. Measured on 3 and 12 generated city plans (2 shared cores, noisy): PostgreSQL about twice as fast as
 * with plain inserts in chunks, SQLite 15–30% faster.
 */
export async function bulkTransaction<R>(
  db: Db,
  fn: (trx: Kysely<Database>, bulk: Bulk) => Promise<R>,
): Promise<R> {
  const lite = db.sqlite;
  if (lite) {
    lite.pragma('foreign_keys = OFF');
    lite.pragma('journal_mode = OFF');
    lite.pragma('synchronous = OFF');
    lite.pragma('cache_size = -262144');
  }
  try {
    const out = await db.kysely.transaction().execute(async (trx) => {
      if (!lite) {
        const su = await sql<{ is_superuser: boolean }>`
          select current_setting('is_superuser') = 'on' as is_superuser`.execute(trx);
        if (su.rows[0]?.is_superuser) await sql`set local session_replication_role = replica`.execute(trx);
        await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
      }
      const indexes = lite
        ? (
            await sql<{ name: string; def: string }>`
              select name, sql as def from sqlite_master
              where type = 'index' and sql is not null and tbl_name in (${sql.join(HISTORY_TABLES)})`.execute(
              trx,
            )
          ).rows
        : (
            await sql<{ name: string; def: string }>`
              select i.indexname as name, i.indexdef as def from pg_indexes i
              where i.schemaname = current_schema() and i.tablename in (${sql.join(HISTORY_TABLES)})
                and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(trx)
          ).rows;
      for (const i of indexes) await sql`drop index ${sql.ref(i.name)}`.execute(trx);
      const result = await fn(trx, lite ? sqliteBulk(lite) : pgBulk(trx));
      for (const i of indexes) await sql.raw(i.def).execute(trx);
      return result;
    });
    if (!lite) await sql`vacuum (analyze)`.execute(db.kysely);
    return out;
  } finally {
    if (lite) {
      lite.pragma('cache_size = -2000');
      lite.pragma('synchronous = FULL');
      lite.pragma('journal_mode = WAL');
      lite.pragma('foreign_keys = ON');
    }
  }
}

function sqliteBulk(sqlite: NonNullable<Db['sqlite']>): Bulk {
  const statements = new Map<string, ReturnType<typeof sqlite.prepare>>();
  return {
    async insert(table, rows) {
      const first = rows[0];
      if (!first) return;
      const columns = Object.keys(first);
      const key = `${table} ${columns.join(',')}`;
      let stmt = statements.get(key);
      if (!stmt) {
        stmt = sqlite.prepare(
          `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
        );
        statements.set(key, stmt);
      }
      for (const row of rows) stmt.run(row);
    },
  };
}

function pgBulk(trx: Kysely<Database>): Bulk {
  const types = new Map<string, Map<string, string>>();
  const columnTypes = async (table: string) => {
    let t = types.get(table);
    if (!t) {
      const r = await sql<{ column_name: string; udt_name: string }>`
        select column_name, udt_name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table}`.execute(trx);
      t = new Map(r.rows.map((c) => [c.column_name, c.udt_name]));
      types.set(table, t);
    }
    return t;
  };
  return {
    async insert(table, rows) {
      const first = rows[0];
      if (!first) return;
      const columns = Object.keys(first);
      const t = await columnTypes(table);
      for (let i = 0; i < rows.length; i += 10_000) {
        const chunk = rows.slice(i, i + 10_000) as unknown as Record<string, unknown>[];
        const arrays = columns.map((c) => sql`${chunk.map((r) => r[c])}::${sql.raw(t.get(c) ?? 'text')}[]`);
        await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
          select * from unnest(${sql.join(arrays)})`.execute(trx);
      }
    },
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const idPrefix = newId().slice(0, 16);
let idCount = 0;

/**
 * An id for a generated row: ULID-shaped (26 Crockford base32 characters), a newId()'s time and first random
 * characters then a counter of this process. newId() itself was a fifth of the time to generate a province.
 */
export function benchId(): string {
  let n = idCount++;
  let tail = '';
  for (let i = 0; i < 10; i++) {
    tail = CROCKFORD[n % 32] + tail;
    n = Math.floor(n / 32);
  }
  return idPrefix + tail;
}

/** A deterministic pseudo-random sequence, so every run generates the same history. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const iso = (d: string, hour = 3) => `${d}T${String(hour).padStart(2, '0')}:00:00.000Z`;
export const addDays = (d: string, n: number) => {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};

export interface Quarter {
  start: string;
  end: string;
  name: string;
  year: number;
}

/** The last `n` calendar quarters that ended before today, oldest first. */
export function lastQuarters(n: number, today = new Date().toISOString().slice(0, 10)): Quarter[] {
  const quarters: Quarter[] = [];
  const lastYear = Number(today.slice(0, 4));
  for (let y = lastYear - Math.ceil(n / 4); y <= lastYear; y++) {
    for (let q = 0; q < 4; q++) {
      const start = `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
      const next = q === 3 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 4).padStart(2, '0')}-01`;
      const end = addDays(next, -1);
      if (end < today) quarters.push({ start, end, name: `${y}年第${q + 1}季度`, year: y });
    }
  }
  return quarters.slice(-n);
}

export interface UnitRef {
  id: string;
  short_name: string;
}

export interface PlanSpec {
  /** The jurisdiction whose plan it is (null: the root's, as before jurisdictions). */
  jurisdictionId: string | null;
  title: string;
  /** Every leaf task is assigned to all of them; they lead one task each in turn. */
  units: UnitRef[];
  /**
   * The units standing for the areas below (the counties of a city, the cities of a province): the population
   * shares and cumulative counts are broken down by them and entered per area. None: nothing is broken down.
   */
  areas: UnitRef[];
  /** Leaf tasks in each of the ten GROUPS. */
  tasksPerGroup: readonly number[];
  /** Indicators on the first leaves, 20 at most: half population shares, a quarter cumulative, a quarter annual. */
  indicators: number;
  quarters: Quarter[];
  /** The pseudo-random history's seed. */
  seed: number;
}

export interface PlanHistory {
  planId: string;
  /** The last cycle (open, the others locked). */
  cycleId: string;
  counts: Record<'tasks' | 'indicators' | 'cycles' | 'reports' | 'events' | 'values', number>;
}

/**
 * A plan with a history, inside the caller's transaction: one published version with the ten groups of part 三
 * and their leaf tasks, each leaf assigned to every unit; indicators on the first leaves (population shares and
 * cumulative counts by area with a target of 10 per area for the counts, annual counts plan-wide); one quarterly
 * cycle per quarter, every unit reporting on every task each quarter and entering every indicator of its task (by
 * area where broken down), all approved but the open last cycle's, where 5% are missing, 5% drafts, 10% submitted;
 * 15% late throughout.
 */
export async function seedPlanHistory(
  trx: Kysely<Database>,
  bulk: Bulk,
  spec: PlanSpec,
): Promise<PlanHistory> {
  const now = new Date().toISOString();
  const rand = rng(spec.seed);
  const cycles = spec.quarters;
  const planId = benchId();
  const versionId = benchId();
  await trx
    .insertInto('plans')
    .values({
      id: planId,
      jurisdiction_id: spec.jurisdictionId,
      title: spec.title,
      issuer: null,
      doc_number: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await trx
    .insertInto('plan_versions')
    .values({
      id: versionId,
      plan_id: planId,
      number: 1,
      title: spec.title,
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
    id: benchId(),
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
    for (let k = 0; k < (spec.tasksPerGroup[g] ?? 0); k++) {
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
  await bulk.insert('plan_tasks', tasks);
  await bulk.insert(
    'plan_task_units',
    leaves.flatMap((t, ti) =>
      spec.units.map((u, i) => ({
        id: benchId(),
        task_id: t.id,
        unit_id: u.id,
        role: i === ti % spec.units.length ? 'lead' : 'co',
        written_name: u.short_name,
        sort_order: i,
      })),
    ),
  );
  const byArea = spec.areas.length > 0 ? 1 : 0;
  const shares = Math.round(spec.indicators / 2);
  const cumulatives = Math.round(spec.indicators / 4);
  const thisYear = Number(now.slice(0, 4));
  const indicators = leaves.slice(0, spec.indicators).map((t, i) => {
    const kind = i < shares ? 'population_share' : i < shares + cumulatives ? 'cumulative' : 'annual';
    return {
      id: benchId(),
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
      deadline: kind === 'cumulative' ? `${thisYear}-12-31` : null,
      baseline_value: null,
      baseline_year: null,
      breakdown_by_county: kind === 'annual' ? 0 : byArea,
      sort_order: 1,
      span: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
  });
  await bulk.insert('indicators', indicators);
  await bulk.insert(
    'indicator_breakdowns',
    indicators
      .filter((i) => i.kind === 'cumulative' && i.breakdown_by_county === 1)
      .flatMap((i) =>
        spec.areas.map((a) => ({ id: benchId(), indicator_id: i.id, unit_id: a.id, target_value: '10' })),
      ),
  );
  const indicatorsOf = new Map(leaves.map((t) => [t.id, indicators.filter((i) => i.task_id === t.id)]));

  const counts = {
    tasks: leaves.length,
    indicators: indicators.length,
    cycles: 0,
    reports: 0,
    events: 0,
    values: 0,
  };
  let latestCycleId = '';
  const areaIds = spec.areas.map((a) => a.id);
  for (const [ci, c] of cycles.entries()) {
    const isLast = ci === cycles.length - 1;
    const cycleId = benchId();
    latestCycleId = cycleId;
    const due = addDays(c.end, 15);
    // The times of the cycle's reports, made once per cycle (per report they were a sixth of the generation).
    const createdAt = iso(c.end);
    const onTimeAt = iso(addDays(due, -3));
    const lateAt = iso(addDays(due, 9));
    const reviewedAt = iso(addDays(due, 12));
    await bulk.insert('reporting_cycles', [
      {
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
      },
    ]);
    // Written cycle by cycle, so the rows of one plan never pile up in the heap.
    const reports: Database['progress_reports'][] = [];
    const events: Database['report_events'][] = [];
    const values: Database['report_values'][] = [];
    const quarterInYear = Number(c.start.slice(5, 7)) / 3 + 2 / 3;
    const yearsIn = c.year - cycles[0]!.year + quarterInYear / 4;
    for (const t of leaves) {
      for (const u of spec.units) {
        const roll = rand();
        if (isLast && roll < 0.05) continue;
        const state = !isLast ? 'approved' : roll < 0.1 ? 'draft' : roll < 0.2 ? 'submitted' : 'approved';
        const submitted = state === 'draft' ? null : rand() < 0.15 ? lateAt : onTimeAt;
        const id = benchId();
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
          reviewed_at: state === 'approved' ? reviewedAt : null,
          reviewed_by: null,
          created_by: null,
          version: state === 'approved' ? 4 : state === 'submitted' ? 3 : 2,
          created_at: createdAt,
          updated_at: submitted ?? createdAt,
        });
        const event = (action: string, at: string) => ({
          id: benchId(),
          report_id: id,
          action,
          comment: '',
          actor_id: null,
          actor_name: null,
          at,
        });
        events.push(event('create', createdAt));
        if (submitted) events.push(event('submit', submitted));
        if (state === 'approved') events.push(event('approve', reviewedAt));
        for (const ind of indicatorsOf.get(t.id) ?? []) {
          const level =
            ind.kind === 'population_share'
              ? 90_000 * quarterInYear * (0.7 + 0.5 * rand())
              : ind.kind === 'cumulative'
                ? Math.round(2 * yearsIn * (0.6 + 0.6 * rand()))
                : Math.round(250 * quarterInYear * (0.6 + 0.6 * rand()));
          const value = String(Math.round(level));
          for (const area of ind.breakdown_by_county === 1 ? areaIds : [null]) {
            values.push({
              id: benchId(),
              report_id: id,
              indicator_id: ind.id,
              county_id: area,
              value,
              note: '',
              is_prefilled: 0,
            });
          }
        }
      }
    }
    await bulk.insert('progress_reports', reports);
    await bulk.insert('report_events', events);
    await bulk.insert('report_values', values);
    counts.cycles += 1;
    counts.reports += reports.length;
    counts.events += events.length;
    counts.values += values.length;
  }
  return { planId, cycleId: latestCycleId, counts };
}
