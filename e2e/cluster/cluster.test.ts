/**
 * Three kesu nodes on one PostgreSQL database behind Debian's HAProxy on 127.0.0.1 (issue 17's acceptance test).
 * Builds nothing: run `npm run build` first (.ci/run does). Each node has its own DATA_DIR and FILE_STORAGE=database,
 * so anything that still lives on a node's disk fails here. Run: npm run test:cluster
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { UnitCreate, WaveImport } from '@kesu/shared';
import pg from 'pg';
import { buildApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { systemCtx } from '../../server/src/context';
import { openDatabase } from '../../server/src/db/database';
import { hashPassword } from '../../server/src/modules/credentials/password';
import { insertUnit } from '../../server/src/modules/units/units.service';
import { insertUser } from '../../server/src/modules/users/users.service';
import { startSmtp } from '../../server/src/test/mail-hooks';
import { createPgDatabase } from '../../server/src/test/pg-database';
import { freePort } from '../lib/harness';
import { buildTwoTaskPlanDraft } from '../../server/src/test/plan-factory';
import { importOf, loadFixture } from '../../server/src/test/survey-fixtures';
import { dateIn, plusDays } from '../../server/src/time';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'Correct-horse-42';
const HAPROXY = process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy';

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

interface Node {
  port: number;
  url: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
}

function startNode(port: number, env: Record<string, string>, dataDir?: string): Node {
  dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-cluster-node-'));
  let out = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'server/bin/kesu.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return { port, url: `http://127.0.0.1:${port}`, dataDir, child, output: () => out };
}

async function waitReady(node: Node, ms = 90_000): Promise<void> {
  await until(
    async () => {
      if (node.child.exitCode !== null) throw new Error(`node ${node.port} exited:\n${node.output()}`);
      try {
        return (await fetch(`${node.url}/readyz`)).ok;
      } catch {
        return false;
      }
    },
    ms,
    `node ${node.port} ready`,
  );
}

function haproxyConfig(port: number, nodes: Node[]): string {
  return [
    'global',
    '    maxconn 1024',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 60s',
    '    timeout server 120s',
    'frontend www',
    `    bind 127.0.0.1:${port}`,
    '    http-request del-header X-Forwarded-For',
    '    option forwardfor',
    '    default_backend kesu',
    'backend kesu',
    '    balance roundrobin',
    '    option httpchk',
    '    http-check send meth GET uri /readyz',
    '    http-check expect status 200',
    ...nodes.map((n, i) => `    server kesu${i + 1} 127.0.0.1:${n.port} check inter 1s fall 2 rise 1`),
    '',
  ].join('\n');
}

function unit(name: string, shortName: string, sortOrder: number): UnitCreate {
  return {
    kind: 'department',
    name,
    shortName,
    aliases: [],
    regionCode: null,
    sortOrder,
    jurisdictionId: null,
  };
}

// ---- the cluster, shared by the checks below ----
let db: Awaited<ReturnType<typeof createPgDatabase>>;
let nodes: Node[] = [];
let haproxy: ChildProcess | null = null;
let lb = '';
let tmp = '';
let client: pg.Client;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let cycleId = '';
let taskId = '';
let nodeEnv: Record<string, string> = {};
let planId = '';

async function api(base: string, method: string, url: string, cookie: string | null, body?: unknown) {
  return fetch(`${base}${url}`, {
    method,
    headers: {
      origin: lb,
      ...(cookie ? { cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function login(base: string, username: string, password = PASSWORD): Promise<Response> {
  return api(base, 'POST', '/api/v1/auth/login', null, { username, password });
}

async function sessionCookie(base: string, username: string): Promise<string> {
  const r = await login(base, username);
  assert.equal(r.status, 200, await r.clone().text());
  const set = r.headers.getSetCookie().find((c) => c.startsWith('kesu_session='));
  assert.ok(set, 'the login sets kesu_session');
  return set.split(';')[0] as string;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-cluster-'));
  db = await createPgDatabase('kesu_cluster');
  smtp = await startSmtp();
  const lbPort = await freePort();
  lb = `http://127.0.0.1:${lbPort}`;
  const env = {
    DATABASE_URL: db.url,
    NODE_ENV: 'production',
    PUBLIC_URL: lb,
    COOKIE_SECURE: 'false',
    TRUST_PROXY: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_SAMPLE: 'false',
    SEED_DEMO: 'false',
    SMTP_URL: smtp.url,
    // Every node runs the reminders every 0.3 s: each event must still go out once.
    REMINDER_INTERVAL_MINUTES: '0.005',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    // Files in the database: no node shares a disk with another.
    FILE_STORAGE: 'database',
  };
  nodeEnv = env;
  const ports = [await freePort(), await freePort(), await freePort()];
  nodes = ports.map((p) => startNode(p, env));
  await Promise.all(nodes.map((n) => waitReady(n)));

  const cfg = path.join(tmp, 'haproxy.cfg');
  fs.writeFileSync(cfg, haproxyConfig(lbPort, nodes));
  const check = spawnSync(HAPROXY, ['-c', '-f', cfg], { encoding: 'utf8' });
  assert.equal(check.status, 0, `haproxy -c: ${check.stdout}${check.stderr}`);
  haproxy = spawn(HAPROXY, ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  await until(
    async () => {
      try {
        return (await fetch(`${lb}/readyz`)).ok;
      } catch {
        return false;
      }
    },
    20_000,
    'HAProxy',
  );

  // Setup the nodes do not need to see being made: units, an admin and a reporter with known passwords, a plan and
  // a cycle due tomorrow (so the reminders have two events per unit to send), written through the app in-process.
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: tmp, LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
  const local = openDatabase(config.database);
  try {
    const app = await buildApp({ config, db: local });
    const ctx = systemCtx();
    const [unitA, unitB] = await local.kysely
      .transaction()
      .execute(async (trx) => [
        await insertUnit(trx, ctx, unit('集群甲单位', '集群甲', 9001)),
        await insertUnit(trx, ctx, unit('集群乙单位', '集群乙', 9002)),
      ]);
    assert.ok(unitA && unitB);
    for (const [username, role, unitId] of [
      ['cluster_admin', 'admin', null],
      ['cluster_clerk', 'reporter', unitA.id],
    ] as const) {
      const { user } = await local.kysely
        .transaction()
        .execute((trx) =>
          insertUser(trx, ctx, { username, displayName: username, role, unitId, jurisdictionId: null }),
        );
      await local.kysely
        .updateTable('users')
        .set({
          password_hash: await hashPassword(PASSWORD),
          must_change_password: 0,
          email: `${username}@example.gov.cn`,
        })
        .where('id', '=', user.id)
        .execute();
    }
    await app.close();
  } finally {
    await local.close();
  }
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

after(async () => {
  await client?.end().catch(() => undefined);
  if (haproxy && haproxy.exitCode === null) {
    haproxy.kill('SIGTERM');
    await new Promise((r) => haproxy?.once('exit', r));
  }
  for (const n of nodes) {
    if (n.child.exitCode === null && n.child.signalCode === null) {
      n.child.kill('SIGTERM');
      await new Promise((r) => n.child.once('exit', r));
    }
    fs.rmSync(n.dataDir, { recursive: true, force: true });
  }
  await smtp?.stop();
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('(a) a session made through one node works on all three and through HAProxy', async () => {
  const cookie = await sessionCookie(nodes[0]?.url as string, 'cluster_admin');
  for (const base of [...nodes.map((n) => n.url), lb, lb, lb]) {
    const me = await api(base, 'GET', '/api/v1/auth/me', cookie);
    assert.equal(me.status, 200, `${base}: ${await me.clone().text()}`);
    assert.equal((await me.json()).username, 'cluster_admin');
  }
  // The plan and cycle, made through HAProxy (any node).
  const [unitA, unitB] = (
    await client.query(
      "select name from units where name in ('集群甲单位', '集群乙单位') order by sort_order",
    )
  ).rows as { name: string }[];
  const plan = await api(lb, 'POST', '/api/v1/plans/import', cookie, {
    draft: buildTwoTaskPlanDraft(unitA as { name: string }, unitB as { name: string }, '集群规划'),
  });
  assert.equal(plan.status, 201, await plan.clone().text());
  planId = (await plan.json()).plan.id;
  const cycle = await api(lb, 'POST', '/api/v1/reporting/cycles', cookie, {
    planId,
    name: '集群周期',
    frequency: 'yearly',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    dueDate: plusDays(dateIn('Asia/Shanghai'), 1),
    graceDays: 0,
  });
  assert.equal(cycle.status, 201, await cycle.clone().text());
  cycleId = (await cycle.json()).id;
  taskId = (await client.query("select id from plan_tasks where title like '%示范学校%'")).rows[0].id;
  // Signing out through node 3 ends the session on node 1 too.
  assert.equal(
    (await api(nodes[2]?.url as string, 'POST', '/api/v1/auth/logout', cookie)).status < 300,
    true,
  );
  assert.equal((await api(nodes[0]?.url as string, 'GET', '/api/v1/auth/me', cookie)).status, 401);
});

test('(c) an evidence file uploaded through node 1 downloads byte-identical through node 3', async () => {
  assert.ok(cycleId && taskId, 'check (a) made the cycle');
  const cookie = await sessionCookie(nodes[0]?.url as string, 'cluster_clerk');
  const report = await api(nodes[0]?.url as string, 'POST', '/api/v1/reports', cookie, { cycleId, taskId });
  assert.equal(report.status, 200, await report.clone().text());
  const reportId = (await report.json()).id;
  // A real PDF with 256 KB of random bytes in a stream: more than one chunk in any storage.
  const noise = randomBytes(256 * 1024);
  const pdf = Buffer.concat([
    Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n',
    ),
    Buffer.from('3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n'),
    Buffer.from(`4 0 obj<</Length ${noise.length}>>stream\n`),
    noise,
    Buffer.from('\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  ]);
  const form = new FormData();
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), '集群佐证.pdf');
  const up = await fetch(`${nodes[0]?.url}/api/v1/reports/${reportId}/attachments`, {
    method: 'POST',
    headers: { origin: lb, cookie },
    body: form,
  });
  assert.equal(up.status, 201, await up.clone().text());
  const attId = (await up.json()).id;
  for (const base of [nodes[2]?.url as string, nodes[1]?.url as string, lb]) {
    const dl = await api(base, 'GET', `/api/v1/report-attachments/${attId}`, cookie);
    assert.equal(dl.status, 200, `download through ${base}: ${dl.status} ${await dl.clone().text()}`);
    assert.ok(Buffer.from(await dl.arrayBuffer()).equals(pdf), `bytes through ${base} differ`);
  }
});

/** A survey file of ~440,000 rows: the stratified R fixture's rows a hundred times over (an import of seconds). */
function bigSurvey(): { csv: Buffer; body: WaveImport } {
  const { csv, design } = loadFixture('stratified');
  const text = csv.toString('utf8');
  const nl = text.indexOf('\n') + 1;
  const rows = text.slice(nl).replace(/\n?$/, '\n');
  return {
    csv: Buffer.from(text.slice(0, nl) + rows.repeat(100)),
    body: importOf(design, { name: '集群导入' }),
  };
}

async function uploadSurvey(base: string, cookie: string, csv: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(csv)], { type: 'text/csv' }), '集群调查.csv');
  const up = await fetch(`${base}/api/v1/surveys/uploads`, {
    method: 'POST',
    headers: { origin: lb, cookie },
    body: form,
  });
  assert.equal(up.status, 201, await up.clone().text());
  return (await up.json()).id;
}

async function importDone(base: string, cookie: string, uploadId: string, ms: number) {
  let last: { status: string; waveId: string | null; report: unknown } | null = null;
  await until(
    async () => {
      const r = await api(base, 'GET', `/api/v1/surveys/uploads/${uploadId}`, cookie);
      last = await r.json();
      return last?.status === 'done' || last?.status === 'failed';
    },
    ms,
    `import of ${uploadId}`,
  );
  return last as unknown as { status: string; waveId: string | null; report: unknown };
}

const estimatesOf = async (waveId: string) =>
  (
    await client.query(
      'select method, by_var, domain, variable, n, estimate, se, ci_low, ci_high from survey_estimates where wave_id = $1 order by sort_order',
      [waveId],
    )
  ).rows;

test('(d) a survey import killed mid-way on node 2 finishes on another node with the uninterrupted estimate', {
  timeout: 240_000,
}, async () => {
  const cookie = await sessionCookie(lb, 'cluster_admin');
  const { csv, body } = bigSurvey();
  // Received through node 2 and stored in the database; node 2's own queue worker is the only one that takes jobs
  // until the kill (nodes 1 and 3 are paused with SIGSTOP, so the job lands on node 2 whatever pg-boss would pick).
  const uploadId = await uploadSurvey(nodes[1]?.url as string, cookie, csv);
  const [n1, n2, n3] = nodes as [Node, Node, Node];
  n1.child.kill('SIGSTOP');
  n3.child.kill('SIGSTOP');
  let killed = false;
  try {
    const start = await api(n2.url, 'POST', `/api/v1/surveys/uploads/${uploadId}/import`, cookie, body);
    assert.equal(start.status, 202, await start.clone().text());
    // Mid-way: node 2 has copied the upload out of the database and is reading it (progress in the database).
    const copy = path.join(n2.dataDir, '.file-cache', 'survey-uploads', `${uploadId}.csv`);
    await until(
      async () => {
        if (!fs.existsSync(copy)) return false;
        const row = (
          await client.query('select status, bytes_read from survey_uploads where id = $1', [uploadId])
        ).rows[0];
        assert.equal(
          row.status,
          'processing',
          'the import ended before it could be killed: make the file larger',
        );
        return Number(row.bytes_read) > 0;
      },
      60_000,
      'node 2 reading the upload',
    );
    n2.child.kill('SIGKILL');
    killed = true;
  } finally {
    n1.child.kill('SIGCONT');
    n3.child.kill('SIGCONT');
  }
  assert.ok(killed);
  await new Promise((r) => n2.child.once('exit', r));
  const killedAt = Date.now();
  // Another node takes the job once node 2's lease lapses (JOB_LEASE_SECONDS, 10 s) and imports from the start.
  const done = await importDone(n1.url, cookie, uploadId, 180_000);
  assert.equal(done.status, 'done', JSON.stringify(done.report));
  console.log(`import finished ${Date.now() - killedAt} ms after node 2 was killed`);
  // Node 2 comes back (same port and folder): the finished import stays finished.
  nodes[1] = startNode(n2.port, nodeEnv, n2.dataDir);
  await waitReady(nodes[1] as Node);
  const again = await (
    await api(nodes[1]?.url as string, 'GET', `/api/v1/surveys/uploads/${uploadId}`, cookie)
  ).json();
  assert.equal(again.status, 'done');
  // The same file imported with nobody killed gives the same figures.
  const plain = await uploadSurvey(lb, cookie, csv);
  const start = await api(lb, 'POST', `/api/v1/surveys/uploads/${plain}/import`, cookie, {
    ...body,
    name: '集群导入（对照）',
  });
  assert.equal(start.status, 202, await start.clone().text());
  const reference = await importDone(lb, cookie, plain, 180_000);
  assert.equal(reference.status, 'done', JSON.stringify(reference.report));
  const got = await estimatesOf(done.waveId as string);
  assert.ok(got.length > 10, `${got.length} estimates`);
  assert.deepEqual(got, await estimatesOf(reference.waveId as string));
  // Both uploads' files left the database once imported.
  const left = await client.query('select count(*)::int n from file_blobs where key like $1', [
    'survey-uploads/%',
  ]);
  assert.equal(left.rows[0].n, 0);
});

test('(e) each scheduled reminder is sent once across three nodes', async () => {
  assert.ok(cycleId, 'check (a) made the cycle');
  const count = async () =>
    Number((await client.query('select count(*)::int n from reminder_sends')).rows[0].n);
  // Two units (lead and co-operating) × two events (cycle opened, due tomorrow).
  await until(async () => (await count()) >= 4, 30_000, 'four reminders');
  // Every node has run the reminders many more times (every 0.3 s) before the counts are read again.
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(await count(), 4);
  const notes = await client.query("select kind from notifications where kind like 'cycle.%'");
  assert.equal(notes.rows.length, 4);
  await until(
    () => smtp.messages.some((m) => m.to.includes('cluster_clerk@example.gov.cn')),
    10_000,
    'e-mail',
  );
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(smtp.messages.filter((m) => m.to.includes('cluster_clerk@example.gov.cn')).length, 2);
});

test('(f) a document generated as a job through node 1 is followed on node 2 and downloaded through node 3', {
  timeout: 120_000,
}, async () => {
  assert.ok(planId, 'check (a) made the plan');
  const [n1, n2, n3] = nodes as [Node, Node, Node];
  const cookie = await sessionCookie(n1.url, 'cluster_admin');
  const start = await api(n1.url, 'POST', '/api/v1/documents/jobs', cookie, {
    kind: 'annual',
    query: { planId, year: 2025 },
    format: 'docx',
  });
  assert.equal(start.status, 202, await start.clone().text());
  const { id } = (await start.json()) as { id: string };
  let job: { status: string; fileName: string | null; error: unknown } = {
    status: '',
    fileName: null,
    error: null,
  };
  await until(
    async () => {
      job = await (await api(n2.url, 'GET', `/api/v1/documents/jobs/${id}`, cookie)).json();
      return job.status === 'done' || job.status === 'failed';
    },
    90_000,
    'the document job',
  );
  assert.equal(job.status, 'done', JSON.stringify(job));
  const file = await api(n3.url, 'GET', `/api/v1/documents/jobs/${id}/file`, cookie);
  assert.equal(file.status, 200, await file.clone().text());
  const bytes = Buffer.from(await file.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a .docx (zip) file');
  // Kept in the database storage, not on any node's disk.
  const stored = await client.query('select size_bytes from file_blobs where key like $1', [
    `documents/%/${id}.docx`,
  ]);
  assert.equal(Number(stored.rows[0]?.size_bytes), bytes.length);
});

test('(b) the login throttle counts failures spread over the three nodes', async () => {
  // Five wrong passwords, each through another node: the account (from this address) is then locked everywhere.
  for (let i = 0; i < 5; i++) {
    const r = await login(nodes[i % 3]?.url as string, 'cluster_admin', 'Wrong-password-1');
    const code = (await r.json()).error?.code;
    assert.equal(
      code,
      i < 4 ? 'INVALID_CREDENTIALS' : 'ACCOUNT_LOCKED',
      `attempt ${i + 1} on node ${(i % 3) + 1}`,
    );
  }
  for (const base of [nodes[2]?.url as string, lb]) {
    const right = await login(base, 'cluster_admin');
    assert.equal((await right.json()).error?.code, 'ACCOUNT_LOCKED', base);
  }
});
