import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/database';
import type { ActivitiesTable } from '../server/src/db/schema';
import { hashPassword } from '../server/src/modules/credentials/password';
import { prepareDatabase } from '../server/src/setup';
import { benchEngines, freePort, load, printTable, startServer, stopServer, waitReady } from './lib';
import { benchId, bulkTransaction, createBenchDatabase, PASSWORD, rng } from './seed';

const ACTIVITIES = 200_000;
const YEARS = [2022, 2023, 2024, 2025, 2026];
/** One report in ten is another unit's report of a joint activity (duplicate_of set: not counted). */
const JOINT_SHARE = 0.1;

/** 200,000 activities over the city's counties and five years, a tenth of them joint reports, written straight. */
async function generateActivities(db: ReturnType<typeof openDatabase>): Promise<{ counted: number }> {
  const places = await db.kysely.selectFrom('jurisdictions').select(['id', 'parent_id']).execute();
  const counties = places.filter((p) => p.parent_id !== null);
  const units = await db.kysely.selectFrom('units').select('id').execute();
  const random = rng(13);
  const now = new Date().toISOString();
  const rows: ActivitiesTable[] = [];
  let counted = 0;
  for (let i = 0; i < ACTIVITIES; i++) {
    const year = YEARS[i % YEARS.length]!;
    const day = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const previous = rows.length > 0 && random() < JOINT_SHARE ? rows[rows.length - 1]! : null;
    const twin = previous && previous.duplicate_of === null ? previous : null;
    if (!twin) counted++;
    rows.push({
      id: benchId(),
      jurisdiction_id: twin?.jurisdiction_id ?? counties[Math.floor(random() * counties.length)]!.id,
      organiser_unit_id: units[Math.floor(random() * units.length)]!.id,
      title: twin?.title ?? `基准科普活动${i}`,
      theme: null,
      campaign: i % 7 === 0 ? '全国科普日' : null,
      place: twin?.place ?? `基准地点${i % 5000}`,
      longitude: null,
      latitude: null,
      start_date: twin?.start_date ?? day,
      end_date: twin?.end_date ?? day,
      year: twin?.year ?? year,
      mode: 'offline',
      populations_json: '[]',
      participants: 20 + Math.floor(random() * 500),
      counting_method: '签到',
      summary: null,
      dedupe_key: twin?.dedupe_key ?? `${day}|基准地点${i % 5000}|基准科普活动${i}`,
      duplicate_of: twin?.id ?? null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      demo_batch_id: null,
    });
  }
  await bulkTransaction(db, async (_trx, bulk) => {
    for (let i = 0; i < rows.length; i += 20_000) await bulk.insert('activities', rows.slice(i, i + 20_000));
  });
  return { counted };
}

async function benchOne(
  kind: 'sqlite' | 'postgres',
  seconds: number,
): Promise<Record<string, string | number>[]> {
  const created = await createBenchDatabase(kind, { LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
  if (!created) return [];
  const { env } = created;
  let server: ReturnType<typeof startServer> | null = null;
  try {
    const config = loadConfig(env);
    const db = openDatabase(config.database);
    await prepareDatabase(db, config);
    const t0 = performance.now();
    const { counted } = await generateActivities(db);
    console.log(
      `${kind}: ${ACTIVITIES} activities (${counted} counted) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const county = await db.kysely
      .selectFrom('jurisdictions')
      .select('id')
      .where('parent_id', 'is not', null)
      .orderBy('sort_order')
      .executeTakeFirstOrThrow();
    await db.kysely
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
      .where('username', '=', 'admin')
      .execute();
    await db.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServer(env, port);
    await waitReady(`${base}/readyz`, 60_000);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const urls: [string, string][] = [
      ['coverage by county (city, 2025)', `${base}/api/v1/coverage?year=2025`],
      [
        'activity list, county + year + campaign',
        `${base}/api/v1/activities?jurisdictionId=${county.id}&year=2025&campaign=${encodeURIComponent('全国科普日')}&pageSize=20`,
      ],
    ];
    const out: Record<string, string | number>[] = [];
    for (const [what, url] of urls) {
      const c0 = performance.now();
      const first = await fetch(url, { headers: { cookie } });
      const cold = performance.now() - c0;
      if (first.status !== 200)
        throw new Error(`${what}: ${first.status} ${(await first.text()).slice(0, 300)}`);
      await load(url, { seconds: 2, headers: { cookie } }); // warm-up
      const r = await load(url, { seconds, headers: { cookie } });
      out.push({
        database: kind,
        request: what,
        'cold ms': Math.round(cold),
        'req/s': Math.round(r.requestsPerSecond),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        errors: r.errors + r.non2xx,
      });
    }
    return out;
  } finally {
    await stopServer(server);
    await created.remove();
  }
}

/**
 * Coverage by county and the activity list with filters over 200,000 generated activities (five years, a tenth joint
 * reports), signed in, 50 connections, the server in its own process, on SQLite and PostgreSQL. Aim: p99 < 100 ms.
 */
export async function benchActivities(seconds: number): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (const kind of benchEngines()) rows.push(...(await benchOne(kind, seconds)));
  printTable(`科普活动: 200,000 activities, 50 connections, ${seconds} s (aim p99 < 100 ms)`, rows);
}
