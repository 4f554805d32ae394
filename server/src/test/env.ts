import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role, UnitCreate } from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import { createPgDatabase } from './pg-database';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp } from '../app';
import { type Config, loadConfig } from '../config';
import { systemCtx } from '../context';
import { type Db, openDatabase } from '../db/database';
import type { DialectName } from '../db/dialect';
import { createJobQueue } from '../jobs';
import { localQueue } from '../jobs/local-queue';
import type { JobQueue } from '../jobs/job-queue';
import { hashPassword } from '../modules/credentials/password';
import { insertUnit } from '../modules/units/units.service';
import { insertUser } from '../modules/users/users.service';
import { prepareDatabase } from '../setup';

/** Dialects under test: DIALECTS=sqlite,postgres (sqlite alone by default). */
export const DIALECTS = (process.env.DIALECTS ?? 'sqlite')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as DialectName[];

export const ORIGIN = 'http://localhost:80';
export const PASSWORD = 'Correct-horse-42';

export interface TestEnv {
  dialect: DialectName;
  config: Config;
  db: Db;
  app: FastifyInstance;
  /** The app's job queue (started before the app, stopped after it). */
  jobs: JobQueue;
  /** Sign in through the API; returns the Cookie header value. */
  login(username: string, password?: string): Promise<string>;
  /** An account with a known password that need not be changed. */
  makeUser(
    role: Role,
    opts?: { unitId?: string | null; username?: string; jurisdictionId?: string | null },
  ): Promise<{ id: string; cookie: string }>;
  makeUnit(overrides?: Partial<UnitCreate>): Promise<{ id: string; version: number; name: string }>;
}

let counter = 0;
/** A unique, valid unit for tests. */
export function buildUnit(overrides: Partial<UnitCreate> = {}): UnitCreate {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  return {
    kind: 'department',
    name: `测试单位${tag}`,
    shortName: `测试${tag}`,
    aliases: [],
    regionCode: null,
    sortOrder: 5000,
    jurisdictionId: null,
    ...overrides,
  };
}

/** Open a fresh, migrated, seeded database of one dialect, in a temporary folder of its own. */
export async function openTestDatabase(
  dialect: DialectName,
  env: Record<string, string> = {},
): Promise<{ db: Db; config: Config; cleanup: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-test-'));
  let dropPg: (() => Promise<void>) | null = null;
  let databaseUrl = '';
  if (dialect === 'postgres') {
    const created = await createPgDatabase();
    databaseUrl = created.url;
    dropPg = created.drop;
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    // Demo reports stay out of tests' databases (fast, and counts stay predictable); demo tests turn it on.
    SEED_DEMO: 'false',
    // Tests hit public routes many times from one address; the rate-limit test sets its own low limit.
    PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000',
    // No scheduled alert scan firing into a suite at 00:00 UTC; the alert-scan test turns it on.
    ALERT_SCAN_CRON: 'off',
    ...env,
  });
  const db = openDatabase(config.database);
  await prepareDatabase(db, config);
  return {
    db,
    config,
    cleanup: async () => {
      await db.close();
      if (dropPg) await dropPg();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Run a suite once per dialect against a real database and the real app (driven by app.inject()).
 * `body` receives a getter, valid inside tests.
 */
export function describeEachDialect(
  name: string,
  body: (env: () => TestEnv) => void,
  opts: {
    env?: Record<string, string>;
    /**
     * 'dialect': the queue the deployment would run (pg-boss on PostgreSQL). By default suites get the in-process
     * queue: starting and stopping pg-boss for each of ~60 suites cost the PostgreSQL run more than a minute, and only
     * the suites about jobs need it.
     */
    queue?: 'in-process' | 'dialect';
  } = {},
): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let current: TestEnv | null = null;
      let cleanup: (() => Promise<void>) | null = null;
      let stopJobs: (() => Promise<void>) | null = null;
      beforeAll(async () => {
        const t = await openTestDatabase(dialect, opts.env);
        cleanup = t.cleanup;
        const jobs = opts.queue === 'dialect' ? createJobQueue(t.config) : localQueue({});
        await jobs.start();
        stopJobs = () => jobs.stop(5000);
        const app = await buildApp({ config: t.config, db: t.db, jobs });
        const login = async (username: string, password = PASSWORD) => {
          const res = await app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers: { origin: ORIGIN },
            payload: { username, password },
          });
          if (res.statusCode !== 200)
            throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
          const c = res.cookies.find((x) => x.name === 'kesu_session');
          return `kesu_session=${c?.value}`;
        };
        const makeUnit = async (overrides: Partial<UnitCreate> = {}) => {
          const u = await t.db.kysely
            .transaction()
            .execute((trx) => insertUnit(trx, systemCtx(), buildUnit(overrides)));
          return { id: u.id, version: u.version, name: u.name };
        };
        let userCount = 0;
        const makeUser = async (
          role: Role,
          o: { unitId?: string | null; username?: string; jurisdictionId?: string | null } = {},
        ) => {
          userCount += 1;
          const username = o.username ?? `${role}${userCount}_${Math.random().toString(36).slice(2, 6)}`;
          let unitId = o.unitId ?? null;
          if (role === 'reporter' && !unitId) unitId = (await makeUnit()).id;
          const { user } = await t.db.kysely.transaction().execute((trx) =>
            insertUser(trx, systemCtx(), {
              username,
              displayName: username,
              role,
              unitId,
              jurisdictionId: o.jurisdictionId ?? null,
            }),
          );
          await t.db.kysely
            .updateTable('users')
            .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
            .where('id', '=', user.id)
            .execute();
          return { id: user.id, cookie: await login(username) };
        };
        current = { dialect, config: t.config, db: t.db, app, jobs, login, makeUser, makeUnit };
      });
      afterAll(async () => {
        await current?.app.close();
        await stopJobs?.();
        await cleanup?.();
      });
      body(() => {
        if (!current) throw new Error('test environment not ready');
        return current;
      });
    });
  }
}

export { createPgDatabase };
