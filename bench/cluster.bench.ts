import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/database';
import { hashPassword } from '../server/src/modules/credentials/password';
import { prepareDatabase } from '../server/src/setup';
import { freePort, load, printTable, startServer, stopServer, waitReady, signIn } from './lib';
import { generateHistory } from './overview.bench';
import { createBenchDatabase, PASSWORD } from './seed';

const HAPROXY = process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy';

function haproxyCfg(port: number, nodePorts: number[]): string {
  return [
    'global',
    '    maxconn 4096',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 60s',
    '    timeout server 60s',
    'frontend www',
    `    bind 127.0.0.1:${port}`,
    '    default_backend kesu',
    'backend kesu',
    '    balance roundrobin',
    '    option httpchk',
    '    http-check send meth GET uri /readyz',
    ...nodePorts.map((p, i) => `    server kesu${i + 1} 127.0.0.1:${p} check inter 2s`),
    '',
  ].join('\n');
}

/**
 * The overview request of overview.bench.ts (same generated five-year history) on PostgreSQL with one node, then with
 * three nodes behind Debian's HAProxy (round-robin), 50 connections. Each node is its own process; on a machine with
 * few cores the three nodes share them with HAProxy and the load generator. Prints figures only.
 */
export async function benchCluster(seconds: number): Promise<void> {
  if (!fs.existsSync(HAPROXY)) {
    console.log(`cluster: skipped (no HAProxy at ${HAPROXY}; apt-get install haproxy)`);
    return;
  }
  const created = await createBenchDatabase('postgres', { LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
  if (!created) return;
  const { env } = created;
  const servers: ChildProcess[] = [];
  let haproxy: ChildProcess | null = null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bench-cluster-'));
  try {
    const config = loadConfig(env);
    const db = openDatabase(config.database);
    await prepareDatabase(db, config);
    const { cycleId } = await generateHistory(db);
    await db.kysely
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
      .where('username', '=', 'admin')
      .execute();
    await db.close();

    const ports = [await freePort(), await freePort(), await freePort()];
    const nodeEnv = { ...env, TRUST_PROXY: '127.0.0.1' };
    const first = startServer(nodeEnv, ports[0] as number);
    servers.push(first);
    const base1 = `http://127.0.0.1:${ports[0]}`;
    await waitReady(`${base1}/readyz`, 60_000);
    const cookie = await signIn(base1, 'admin', PASSWORD);
    const path1 = `/api/v1/dashboards/overview?cycleId=${cycleId}`;
    const rows: Record<string, string | number>[] = [];
    const measure = async (label: string, base: string) => {
      await load(`${base}${path1}`, { seconds: 2, headers: { cookie } }); // warm-up (every node behind HAProxy)
      const r = await load(`${base}${path1}`, { seconds, headers: { cookie } });
      rows.push({
        setup: label,
        'req/s': Math.round(r.requestsPerSecond),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        errors: r.errors + r.non2xx,
      });
    };
    await measure('1 node (direct)', base1);

    for (const p of ports.slice(1)) servers.push(startServer(nodeEnv, p));
    await Promise.all(ports.slice(1).map((p) => waitReady(`http://127.0.0.1:${p}/readyz`, 60_000)));
    const lbPort = await freePort();
    const cfg = path.join(tmp, 'haproxy.cfg');
    fs.writeFileSync(cfg, haproxyCfg(lbPort, ports));
    haproxy = spawn(HAPROXY, ['-db', '-f', cfg], { stdio: 'ignore' });
    const lb = `http://127.0.0.1:${lbPort}`;
    await waitReady(`${lb}/readyz`, 20_000);
    await measure('3 nodes behind HAProxy', lb);
    printTable(
      `GET /api/v1/dashboards/overview (5-year history, PostgreSQL), 50 connections, ${seconds} s, ${os.cpus().length} CPUs`,
      rows,
    );
  } finally {
    if (haproxy && haproxy.exitCode === null) haproxy.kill('SIGKILL');
    for (const s of servers) await stopServer(s);
    await created.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
