import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration';
import type { Db } from './database';
import * as m0001 from './migrations/0001-units';
import * as m0002 from './migrations/0002-users-sessions';
import * as m0003 from './migrations/0003-audit-log';
import * as m0004 from './migrations/0004-plans';
import * as m0010 from './migrations/0010-instruments';
import * as m0011 from './migrations/0011-self-test-results';
import * as m0020 from './migrations/0020-surveys';
import * as m0021 from './migrations/0021-population-margins';
import * as m0030 from './migrations/0030-reporting';
import * as m0040 from './migrations/0040-supervision';
import * as m0041 from './migrations/0041-notifications';
import * as m0050 from './migrations/0050-dashboard-snapshots';
import * as m0051 from './migrations/0051-overview-indexes';
import * as m0060 from './migrations/0060-demo-data';
import * as m0070 from './migrations/0070-survey-estimate-kinds';
import * as m0080 from './migrations/0080-bad-dates-report';
import * as m0081 from './migrations/0081-login-throttle';
import * as m0110 from './migrations/0110-reminders';
import * as m0120 from './migrations/0120-demo-survey-wave';
import * as m0130 from './migrations/0130-jurisdictions';
import * as m0140 from './migrations/0140-task-links';
import * as m0150 from './migrations/0150-allocations';
import * as m0160 from './migrations/0160-demo-county-rows';
import * as m0170 from './migrations/0170-resources';
import * as m0171 from './migrations/0171-resources-list-index';
import * as m0172 from './migrations/0172-activity-list-indexes';
import * as m0173 from './migrations/0173-funding-standard-demo';
import * as m0174 from './migrations/0174-resource-stamps';
import * as m0180 from './migrations/0180-assessments';
import * as m0185 from './migrations/0185-capacity';
import * as m0186 from './migrations/0186-recognitions';
import * as m0188 from './migrations/0188-document-templates';
import * as m0190 from './migrations/0190-file-storage';
import * as m0192 from './migrations/0192-shared-limits';
import * as m0193 from './migrations/0193-alert-scans';
import * as m0194 from './migrations/0194-generated-documents';

/** Every migration, in order. Names are permanent: they are recorded in the database. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-units': m0001,
  '0002-users-sessions': m0002,
  '0003-audit-log': m0003,
  '0004-plans': m0004,
  '0010-instruments': m0010,
  '0011-self-test-results': m0011,
  '0020-surveys': m0020,
  '0021-population-margins': m0021,
  '0030-reporting': m0030,
  '0040-supervision': m0040,
  '0041-notifications': m0041,
  '0050-dashboard-snapshots': m0050,
  '0051-overview-indexes': m0051,
  '0060-demo-data': m0060,
  '0070-survey-estimate-kinds': m0070,
  '0080-bad-dates-report': m0080,
  '0081-login-throttle': m0081,
  '0110-reminders': m0110,
  '0120-demo-survey-wave': m0120,
  '0130-jurisdictions': m0130,
  '0140-task-links': m0140,
  '0150-allocations': m0150,
  '0160-demo-county-rows': m0160,
  '0170-resources': m0170,
  '0171-resources-list-index': m0171,
  '0172-activity-list-indexes': m0172,
  '0173-funding-standard-demo': m0173,
  '0174-resource-stamps': m0174,
  '0180-assessments': m0180,
  '0185-capacity': m0185,
  '0186-recognitions': m0186,
  '0188-document-templates': m0188,
  '0190-file-storage': m0190,
  '0192-shared-limits': m0192,
  '0193-alert-scans': m0193,
  '0194-generated-documents': m0194,
};

function migrator(db: Db): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'kesu_migrations',
    migrationLockTableName: 'kesu_migrations_lock',
  });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const msg = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`数据库迁移失败${failed ? `（${failed.migrationName}）` : ''}：${msg}`);
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Bring the database to the latest schema; returns the names of the migrations applied now. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

/** Undo the last applied migration. */
export async function migrateDown(db: Db): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}

/** Undo every migration (used by tests to prove each has a working down). */
export async function migrateAllDown(db: Db): Promise<void> {
  const m = migrator(db);
  for (;;) {
    const r = await m.migrateDown();
    check(r);
    if (!r.results || r.results.length === 0) return;
  }
}
