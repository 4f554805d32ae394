import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { systemCtx } from '../context';
import { buildUnit, DIALECTS, openTestDatabase } from '../test/env';
import { insertUnit, mergeUnits } from '../modules/units/units.service';
import { BackupError, backupDatabase, restoreDatabase } from './backup';

const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bak-')), 'kesu.backup.gz');

async function snapshot(db: Awaited<ReturnType<typeof openTestDatabase>>['db']) {
  const out: Record<string, unknown[]> = {};
  for (const t of ['units', 'users', 'audit_log'] as const) {
    out[t] = await db.kysely.selectFrom(t).selectAll().orderBy('id').execute();
  }
  return out;
}

for (const dialect of DIALECTS) {
  it(`[${dialect}] backup then restore into a new database gives the same rows (merged units included)`, async () => {
    const a = await openTestDatabase(dialect);
    const b = await openTestDatabase(dialect, { SEED_SAMPLE: 'false' });
    const file = tmp();
    try {
      const adminRow = await a.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('username', '=', 'admin')
        .executeTakeFirstOrThrow();
      const ctx = {
        ...systemCtx(),
        user: {
          id: adminRow.id,
          username: 'admin',
          displayName: 'admin',
          role: 'admin' as const,
          unitId: null,
          mustChangePassword: false,
          jurisdictionId: null,
          jurisdictionPath: null,
        },
      };
      const u1 = await a.db.kysely.transaction().execute((trx) => insertUnit(trx, ctx, buildUnit()));
      const u2 = await a.db.kysely.transaction().execute((trx) => insertUnit(trx, ctx, buildUnit()));
      await mergeUnits(a.db.kysely, ctx, u1.id, u2.id);
      const merged = await a.db.kysely
        .selectFrom('units')
        .select('merged_into_id')
        .where('id', '=', u2.id)
        .executeTakeFirstOrThrow();
      expect(merged.merged_into_id).toBe(u1.id);
      const header = await backupDatabase(a.db, file);
      expect(header.counts.units).toBeGreaterThan(40);
      await expect(restoreDatabase(b.db, file)).rejects.toThrow(BackupError); // b has its own admin: needs --force
      await restoreDatabase(b.db, file, { force: true });
      expect(await snapshot(b.db)).toEqual(await snapshot(a.db));
      await expect(backupDatabase(a.db, file)).rejects.toThrow(/已存在/);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it(`[${dialect}] a corrupt or foreign file restores nothing`, async () => {
    const t = await openTestDatabase(dialect);
    const file = tmp();
    try {
      const before = await snapshot(t.db);
      fs.writeFileSync(file, 'not a backup');
      await expect(restoreDatabase(t.db, file, { force: true })).rejects.toThrow(BackupError);
      fs.writeFileSync(file, gzipSync('{"format":"other"}\n'));
      await expect(restoreDatabase(t.db, file, { force: true })).rejects.toThrow(/不是 kesu 备份/);
      // A truncated backup: header promises more rows than the file holds.
      const good = tmp();
      await backupDatabase(t.db, good);
      const lines = (await import('node:zlib')).gunzipSync(fs.readFileSync(good)).toString().split('\n');
      fs.writeFileSync(file, gzipSync(lines.slice(0, 5).join('\n')));
      await expect(restoreDatabase(t.db, file, { force: true })).rejects.toThrow(/不完整/);
      expect(await snapshot(t.db)).toEqual(before);
    } finally {
      await t.cleanup();
    }
  });
}
