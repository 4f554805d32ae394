import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../config';
import { integrityCheck, openDatabase } from '../db/database';
import { hashPassword } from '../modules/credentials/password';
import { prepareDatabase } from '../setup';
import { freePort, startKesu, waitReady } from './spawn';
import { PASSWORD } from './env';

/**
 * Crash safety of the embedded database: a server killed with SIGKILL in the middle of a stream of writes restarts
 * with every acknowledged write present and the file intact.
 */
it('keeps every acknowledged write across a SIGKILL and restarts with an intact database', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-crash-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  {
    const db = openDatabase(config.database);
    await prepareDatabase(db, config);
    await db.kysely
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
      .where('username', '=', 'admin')
      .execute();
    await db.close();
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startKesu({ ...env, PORT: String(port) });
  try {
    await waitReady(base);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const acked: string[] = [];
    let n = 0;
    const writer = async () => {
      for (;;) {
        n += 1;
        const name = `崩溃测试单位${n}-${Math.random().toString(36).slice(2, 7)}`;
        try {
          const r = await fetch(`${base}/api/v1/units`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: base, cookie },
            body: JSON.stringify({ kind: 'department', name, shortName: name }),
          });
          if (r.status === 201) acked.push(((await r.json()) as { id: string }).id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    while (acked.length < 50) await new Promise((r) => setTimeout(r, 20));
    server.kill('SIGKILL');
    await Promise.all(writers);
    expect(acked.length).toBeGreaterThanOrEqual(50);

    const db = openDatabase(config.database);
    try {
      expect(integrityCheck(db)).toBe('ok');
      const rows = await db.kysely.selectFrom('units').select('id').where('id', 'in', acked).execute();
      expect(rows.length).toBe(acked.length);
      const audits = await db.kysely
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'unit.create')
        .where('entity_id', 'in', acked)
        .execute();
      expect(audits.length).toBe(acked.length);
    } finally {
      await db.close();
    }

    // And the server itself starts again on that file.
    const again = startKesu({ ...env, PORT: String(port) });
    try {
      await waitReady(base);
    } finally {
      again.kill('SIGTERM');
    }
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 90_000);
