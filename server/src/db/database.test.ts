import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';

/** The SQLite file holds password hashes and sessions: it was created 0644 (readable by every local account). */
describe('the embedded database file', () => {
  it('is created readable by its owner only, with its WAL files, and an old 0644 file is tightened', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-perm-'));
    try {
      const file = path.join(dir, 'data', 'kesu.db');
      const db = openDatabase({ kind: 'sqlite', file });
      await sql`create table t (x integer)`.execute(db.kysely);
      await sql`insert into t values (1)`.execute(db.kysely);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        if (fs.existsSync(f)) expect((fs.statSync(f).mode & 0o777).toString(8), f).toBe('600');
      }
      expect(fs.existsSync(`${file}-wal`)).toBe(true);
      await db.close();

      fs.chmodSync(file, 0o644);
      const again = openDatabase({ kind: 'sqlite', file });
      expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
