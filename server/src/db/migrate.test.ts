import { expect, it } from 'vitest';
import { DIALECTS, openTestDatabase } from '../test/env';
import { BACKUP_TABLES, FILE_STORAGE_TABLES, listTables, TRANSIENT_TABLES } from './backup';
import { MIGRATIONS, migrateAllDown, migrateToLatest } from './migrate';

for (const dialect of DIALECTS) {
  it(`[${dialect}] every migration goes down and up again`, async () => {
    const t = await openTestDatabase(dialect, { SEED_SAMPLE: 'false' });
    try {
      // A database with an account cannot drop users while sessions… so start from the freshly made one.
      await t.db.kysely.deleteFrom('audit_log').execute();
      await t.db.kysely.deleteFrom('sessions').execute();
      await t.db.kysely.deleteFrom('users').execute();
      await migrateAllDown(t.db);
      expect(await listTables(t.db)).toEqual([]);
      const applied = await migrateToLatest(t.db);
      expect(applied).toEqual(Object.keys(MIGRATIONS));
      expect(await migrateToLatest(t.db)).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });

  it(`[${dialect}] backup covers every table of the schema`, async () => {
    const t = await openTestDatabase(dialect, { SEED_SAMPLE: 'false' });
    try {
      expect((await listTables(t.db)).sort()).toEqual(
        [...BACKUP_TABLES, ...TRANSIENT_TABLES, ...FILE_STORAGE_TABLES].sort(),
      );
    } finally {
      await t.cleanup();
    }
  });
}
