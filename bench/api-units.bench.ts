import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/src/config';
import { systemCtx } from '../server/src/context';
import { openDatabase } from '../server/src/db/database';
import { hashPassword } from '../server/src/modules/credentials/password';
import { insertUnit } from '../server/src/modules/units/units.service';
import { prepareDatabase } from '../server/src/setup';
import { PASSWORD } from './seed';
import { freePort, load, printTable, ROOT, startNode, waitReady, signIn } from './lib';

/**
 * GET /api/v1/units returning 200 units (signed in, validated, serialized through the shared schema), against a bare
 * Fastify route returning the same JSON, both in their own process on this machine, 50 connections each.
 */
export async function benchUnitsApi(seconds: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bench-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: process.env.DATABASE_URL ?? '', LOG_LEVEL: 'warn' };
  const config = loadConfig(env);
  const db = openDatabase(config.database);
  await prepareDatabase(db, config);
  const have = (await db.kysely.selectFrom('units').select('id').execute()).length;
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = have; i < 200; i++) {
      await insertUnit(trx, systemCtx(), {
        kind: 'department',
        name: `基准测试单位${i}`,
        shortName: `基准${i}`,
        aliases: [`别名${i}`],
        regionCode: null,
        sortOrder: 5000 + i,
        jurisdictionId: null,
      });
    }
  });
  await db.kysely
    .updateTable('users')
    .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
    .where('username', '=', 'admin')
    .execute();
  await db.close();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startNode(['server/bin/kesu.js', 'serve'], {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const barePort = await freePort();
  let bare: ReturnType<typeof startNode> | null = null;
  try {
    await waitReady(`${base}/readyz`);
    const cookie = await signIn(base, 'admin', PASSWORD);
    const url = `${base}/api/v1/units?pageSize=200`;
    const sample = await fetch(url, { headers: { cookie } });
    const body = (await sample.json()) as { items: unknown[] };
    if (body.items.length !== 200) throw new Error(`expected 200 units, got ${body.items.length}`);
    const bodyFile = path.join(dataDir, 'units.json');
    fs.writeFileSync(bodyFile, JSON.stringify(body));

    await load(url, { seconds: 2, headers: { cookie } }); // warm-up
    const kesu = await load(url, { seconds, headers: { cookie } });
    server.kill('SIGTERM');

    bare = startNode([path.join(ROOT, 'bench/bare-fastify.mjs')], {
      PORT: String(barePort),
      BARE_BODY_FILE: bodyFile,
    });
    await waitReady(`http://127.0.0.1:${barePort}/api/v1/units`);
    await load(`http://127.0.0.1:${barePort}/api/v1/units`, { seconds: 2 });
    const ref = await load(`http://127.0.0.1:${barePort}/api/v1/units`, { seconds });

    printTable(
      `GET /api/v1/units (200 units, ${Math.round(JSON.stringify(body).length / 1024)} KiB), 50 connections, ${seconds} s, ${config.database.kind}`,
      [
        {
          target: 'kesu',
          'req/s': Math.round(kesu.requestsPerSecond),
          'p50 ms': kesu.p50,
          'p99 ms': kesu.p99,
          errors: kesu.errors + kesu.non2xx,
        },
        {
          target: 'bare Fastify',
          'req/s': Math.round(ref.requestsPerSecond),
          'p50 ms': ref.p50,
          'p99 ms': ref.p99,
          errors: ref.errors + ref.non2xx,
        },
      ],
    );
    console.log(
      `ratio kesu / bare Fastify (req/s): ${(kesu.requestsPerSecond / ref.requestsPerSecond).toFixed(2)}  (aim ≥ 0.5)`,
    );
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    bare?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
