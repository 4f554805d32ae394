import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPgDatabase, DIALECTS } from './env';
import { freePort, startKesu, waitReady } from './spawn';

/**
 * Three real `kesu serve` processes started at the same moment on one fresh PostgreSQL database, each with its own
 * DATA_DIR: the advisory lock around setup lets one migrate and seed while the others wait. All three serve; every
 * migration is recorded once; the sample plan, units and first admin exist once.
 */
it.runIf(DIALECTS.includes('postgres'))(
  'three nodes starting together on one new PostgreSQL database migrate and seed it once',
  { timeout: 120_000 },
  async () => {
    const created = await createPgDatabase();
    const dirs = [0, 1, 2].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-node-')));
    const ports = [await freePort(), await freePort(), await freePort()];
    const servers = ports.map((port, i) =>
      startKesu({
        DATABASE_URL: created.url,
        DATA_DIR: dirs[i] as string,
        SEED_DEMO: 'false',
        PORT: String(port),
        REMINDER_INTERVAL_MINUTES: '0',
      }),
    );
    const exits: (number | null)[] = [];
    for (const s of servers) s.once('exit', (code) => exits.push(code));
    const c = new pg.Client({ connectionString: created.url });
    try {
      await Promise.all(ports.map((p) => waitReady(`http://127.0.0.1:${p}`, 90_000)));
      expect(exits).toEqual([]);
      await c.connect();
      const dup = await c.query(
        'select name, count(*)::int n from kesu_migrations group by name having count(*) > 1',
      );
      expect(dup.rows).toEqual([]);
      const migrations = await c.query('select count(*)::int n from kesu_migrations');
      expect(migrations.rows[0].n).toBeGreaterThan(0);
      const plans = await c.query('select count(*)::int n from plans');
      expect(plans.rows[0].n).toBe(1);
      const roots = await c.query('select count(*)::int n from jurisdictions where parent_id is null');
      expect(roots.rows[0].n).toBe(1);
      const units = await c.query(
        'select name, count(*)::int n from units group by name having count(*) > 1',
      );
      expect(units.rows).toEqual([]);
      const admins = await c.query("select count(*)::int n from users where role = 'admin'");
      expect(admins.rows[0].n).toBe(1);
      // The one-time password file is written by the node that created the admin only.
      expect(dirs.filter((d) => fs.existsSync(path.join(d, 'initial-admin.txt')))).toHaveLength(1);
    } finally {
      await c.end().catch(() => undefined);
      for (const s of servers) {
        if (s.exitCode === null) {
          s.kill('SIGTERM');
          await new Promise((r) => s.once('exit', r));
        }
      }
      await created.drop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  },
);
