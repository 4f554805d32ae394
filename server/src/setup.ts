import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { systemCtx } from './context';
import type { Db } from './db/database';
import { withAdvisoryLock } from './db/advisory-lock';
import { migrateToLatest } from './db/migrate';
import { loadDemoData } from './modules/demo/demo.service';
import { seedCensusMargins } from './modules/surveys/population-margins.service';
import { seedSamplePlan } from './modules/plans/plans.sample';
import { seedSampleInstruments } from './modules/instruments/instruments.service';
import { seedXuzhouUnits } from './modules/units/units.seed';
import { seedChildJurisdictions, seedRootJurisdiction } from './modules/jurisdictions/jurisdictions.service';
import { bootstrapAdmin } from './modules/users/users.service';

export interface SetupResult {
  migrations: string[];
  unitsSeeded: number;
  /** Set only on the very first start: the initial admin's one-time password. */
  initialAdmin: { username: string; password: string; file: string } | null;
  /** Set when demo data was loaded now: rows made and the time it took. */
  demo: { batchId: string; counts: Record<string, number>; ms: number } | null;
}

/** The PostgreSQL advisory lock key nodes take around setup ('kesu' in ASCII). */
export const SETUP_LOCK_KEY = 0x6b657375;

/**
 * Everything a database needs before it serves: migrate, load the sample data into a new database, and create the
 * first admin when there is no account. Idempotent: a second run changes nothing.
 *
 * Several nodes starting together on one PostgreSQL database: each takes a session-level advisory lock on a dedicated
 * connection first, so one node migrates and seeds while the others wait, then find nothing left to do. SQLite: one
 * process owns the file; no lock.
 */
export async function prepareDatabase(db: Db, config: Config): Promise<SetupResult> {
  return withAdvisoryLock(db, SETUP_LOCK_KEY, () => prepareUnlocked(db, config));
}

async function prepareUnlocked(db: Db, config: Config): Promise<SetupResult> {
  const migrations = await migrateToLatest(db);
  const ctx = systemCtx();
  // The root jurisdiction (the city kesu serves) before any unit, plan or account is made: they all belong to one.
  const rootId = await db.kysely.transaction().execute((trx) => seedRootJurisdiction(trx, ctx));
  const unitsSeeded = config.seedSample
    ? await db.kysely.transaction().execute(async (trx) => {
        const n = await seedXuzhouUnits(trx, ctx);
        // Each county and function zone of the registry becomes a child jurisdiction, linked to its unit.
        await seedChildJurisdictions(trx, ctx, rootId);
        return n;
      })
    : 0;
  // Census 2020 figures of docs/DOMAIN.md (only those; the rest is entered by the admin).
  if (config.seedSample) await db.kysely.transaction().execute((trx) => seedCensusMargins(trx, ctx));
  // The Xuzhou plan document (server/sample/), parsed and imported, once per new database.
  const samplePlanId = config.seedSample
    ? await db.kysely.transaction().execute((trx) => seedSamplePlan(trx, ctx))
    : null;
  // The sample questionnaire and self-test item bank (server/sample/), on a database without instruments.
  if (config.seedSample) await db.kysely.transaction().execute((trx) => seedSampleInstruments(trx, ctx));
  // Two years of demo reports on the sample plan, only when that plan was imported just now (a new database).
  const demo =
    samplePlanId && config.seedDemo ? await loadDemoData(db.kysely, ctx, { planId: samplePlanId }) : null;
  const initialAdmin = await bootstrapAdmin(db.kysely, ctx, config.dataDir);
  return { migrations, unitsSeeded, initialAdmin, demo };
}

/** The lines the console shows at start: where the app is and how to sign in. */
export function signInHelp(config: Config, url: string, setup: SetupResult): string[] {
  const lines = [`kesu 科素 已启动: ${url}`, `  API 文档: ${url}/api/docs`];
  if (setup.demo) {
    lines.push(
      `  已载入演示数据（${setup.demo.counts.progress_reports ?? 0} 份报告，用时 ${setup.demo.ms} ms），删除：npx kesu demo remove`,
    );
  }
  if (setup.initialAdmin) {
    lines.push(
      '',
      '  首次启动，已创建初始管理员账号（密码只显示这一次）：',
      `    用户名: ${setup.initialAdmin.username}`,
      `    一次性密码: ${setup.initialAdmin.password}`,
      `  密码同时写入 ${setup.initialAdmin.file}（仅本机用户可读）；首次登录后须修改密码，然后删除该文件。`,
    );
  } else {
    const file = path.join(config.dataDir, 'initial-admin.txt');
    if (fs.existsSync(file)) lines.push('', `  初始管理员的一次性密码见 ${file}（修改密码后请删除该文件）。`);
    lines.push('  忘记密码：npx kesu user reset-password <用户名>');
  }
  return lines;
}
