import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { systemCtx } from '../server/src/context';
import { openDatabase } from '../server/src/db/database';
import { hashPassword } from '../server/src/modules/credentials/password';
import { insertUser } from '../server/src/modules/users/users.service';
import { prepareDatabase } from '../server/src/setup';
import { benchEngines, printTable } from './lib';
import { seededProvince, seedProvince } from './province.bench';
import { createBenchDatabase, lastQuarters, PASSWORD } from './seed';

/**
 * Issue 14's acceptance figure: the 年度实施情况报告 (Word, tables and server-drawn charts) of the province's plan in
 * the province-sized bench data (province.bench.ts: 13 cities × 10 counties, 144 plans, ~4.3 million reports), for
 * the latest complete year of the history, generated through the API in-process (app.inject), by the province's
 * admin. Cold: the first request (the plan and its 13 cities evaluated); warm: the next (the overview cached).
 * Aim: < 10 s. BENCH_KEEP_SQLITE / BENCH_KEEP_POSTGRES reuse a province seeded earlier, as province.bench does.
 */
export async function benchDocuments(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (const kind of benchEngines()) {
    const row = await benchOne(kind);
    if (row) rows.push(row);
  }
  printTable(
    'GET /api/v1/documents/annual-report of the province plan (144 plans, ~4.3 M reports); aim < 10 s',
    rows,
  );
}

async function benchOne(kind: 'sqlite' | 'postgres'): Promise<Record<string, string | number> | null> {
  const settings = {
    LOG_LEVEL: 'warn',
    SEED_SAMPLE: 'false',
    SEED_DEMO: 'false',
    REMINDER_INTERVAL_MINUTES: '0',
  };
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
  const created = keep
    ? {
        env: {
          ...settings,
          DATA_DIR:
            kind === 'sqlite' ? keep : fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'kesu-bench-')),
          DATABASE_URL: kind === 'sqlite' ? '' : keep,
        },
        remove: async () => {},
      }
    : await createBenchDatabase(kind, settings);
  if (!created) return null;
  const config = loadConfig(created.env);
  const db = openDatabase(config.database);
  try {
    await prepareDatabase(db, config);
    const t0 = performance.now();
    const { province } = reuse ? await seededProvince(db) : await seedProvince(db);
    const seeded = performance.now() - t0;
    if (!reuse) {
      // The same city admin province.bench makes, so a database kept by either serves both.
      const city = await db.kysely
        .selectFrom('jurisdictions')
        .select('id')
        .where('name', '=', '徐州市')
        .executeTakeFirstOrThrow();
      await db.kysely.transaction().execute((trx) =>
        insertUser(trx, systemCtx(), {
          username: 'city-admin',
          displayName: '徐州市管理员',
          role: 'admin',
          jurisdictionId: city.id,
          unitId: null,
        }),
      );
    }
    await db.kysely
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
      .where('username', 'in', ['admin', 'city-admin'])
      .execute();
    console.log(`${kind}: province ${reuse ? 'reused' : `seeded in ${(seeded / 1000).toFixed(1)} s`}`);

    const plan = await db.kysely
      .selectFrom('plans')
      .select('id')
      .where('jurisdiction_id', '=', province.id)
      .executeTakeFirstOrThrow();
    // The latest year whose four quarters are all in the history.
    const quarters = lastQuarters(20);
    const year = Math.max(...quarters.filter((q) => q.name.endsWith('第4季度')).map((q) => q.year));
    const app = await buildApp({ config, db });
    try {
      const origin = 'http://localhost:80';
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { origin },
        payload: { username: 'admin', password: PASSWORD },
      });
      const cookie = String(login.headers['set-cookie'] ?? '').split(';')[0] ?? '';
      const url = `/api/v1/documents/annual-report?planId=${plan.id}&year=${year}`;
      // Wall time, and this process's CPU time (user + system): on a shared machine the second is the steadier one.
      const timed = async () => {
        const s = performance.now();
        const cpu = process.cpuUsage();
        const r = await app.inject({ method: 'GET', url, headers: { origin, cookie } });
        if (r.statusCode !== 200) throw new Error(`annual report: ${r.statusCode} ${r.body.slice(0, 300)}`);
        const used = process.cpuUsage(cpu);
        return {
          ms: performance.now() - s,
          cpuMs: (used.user + used.system) / 1000,
          bytes: r.rawPayload.length,
        };
      };
      const cold = await timed();
      const warm = await timed();
      return {
        database: kind,
        year,
        'cold s': Number((cold.ms / 1000).toFixed(2)),
        'cold CPU s': Number((cold.cpuMs / 1000).toFixed(2)),
        'warm s': Number((warm.ms / 1000).toFixed(2)),
        'KiB docx': Math.round(cold.bytes / 1024),
        'aim < 10 s': cold.ms < 10_000 ? 'PASS' : 'FAIL',
      };
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
    await created.remove();
  }
}
