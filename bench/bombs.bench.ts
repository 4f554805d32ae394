import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadConfig } from '../server/src/config';
import { systemCtx } from '../server/src/context';
import { openDatabase } from '../server/src/db/database';
import { hashPassword } from '../server/src/modules/credentials/password';
import { insertUser } from '../server/src/modules/users/users.service';
import { prepareDatabase } from '../server/src/setup';
import { docxBomb, xlsxBomb } from '../server/src/test/zip';
import { PASSWORD } from './seed';
import { freePort, printTable, startNode, waitReady, signIn } from './lib';

/** Resident set size of a process in MB, from /proc (Linux); null elsewhere. */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function multipart(fileName: string, content: Buffer): { body: Buffer; type: string } {
  const boundary = 'kesuBenchBoundary7q';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  return {
    body: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * One hostile upload against the running server while /healthz is polled every 10 ms and the server's RSS sampled
 * every 10 ms: how long until it is refused, how much the server's memory grew, how slow /healthz got meanwhile.
 */
async function measure(
  base: string,
  pid: number,
  send: () => Promise<Response>,
): Promise<{ status: number; ms: number; rssGrowthMb: number; healthzMaxMs: number; message: string }> {
  await new Promise((r) => setTimeout(r, 300));
  const baseline = rssMb(pid) ?? 0;
  let peak = baseline;
  let healthzMax = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, rssMb(pid) ?? 0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const poller = (async () => {
    while (running) {
      const t = performance.now();
      try {
        await (await fetch(`${base}/healthz`)).text();
      } catch {
        healthzMax = Number.POSITIVE_INFINITY;
      }
      healthzMax = Math.max(healthzMax, performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t0 = performance.now();
  const res = await send();
  const text = await res.text();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 200));
  running = false;
  await Promise.all([sampler, poller]);
  let message = '';
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
  } catch {
    message = text.slice(0, 60);
  }
  return { status: res.status, ms, rssGrowthMb: peak - baseline, healthzMaxMs: healthzMax, message };
}

/**
 * The hostile files against a running kesu (SQLite): a .docx inflating to 100 MB previewed as a plan, a
 * template .xlsx inflating to 300 MB, a genuine template with one cell at row 1,048,576, a survey .xlsx whose shared
 * strings inflate to 600 MB, and a survey CSV header of 100,000 columns. Each: refused (or read) in how long, the
 * server's RSS growth, /healthz's worst latency meanwhile. Aims: < 2 s, < 200 MB, < 200 ms.
 */
export async function benchBombs(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bench-bombs-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', SEED_DEMO: 'false' };
  let server: ReturnType<typeof startNode> | null = null;
  try {
    const config = loadConfig(env);
    const db = openDatabase(config.database);
    await prepareDatabase(db, config);
    const hash = await hashPassword(PASSWORD);
    const unit = await db.kysely
      .selectFrom('units')
      .select('id')
      .where('kind', '=', 'department')
      .executeTakeFirstOrThrow();
    for (const [username, role, unitId] of [
      ['bench_reporter', 'reporter', unit.id],
      ['bench_analyst', 'analyst', null],
    ] as const) {
      await db.kysely.transaction().execute((trx) =>
        insertUser(trx, systemCtx(), {
          username,
          displayName: username,
          role,
          unitId,
          jurisdictionId: null,
        }),
      );
    }
    await db.kysely.updateTable('users').set({ password_hash: hash, must_change_password: 0 }).execute();
    await db.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startNode(['server/bin/kesu.js', 'serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
    await waitReady(`${base}/readyz`, 60_000);
    const pid = server.pid ?? 0;
    const admin = await signIn(base, 'admin', PASSWORD);
    const reporter = await signIn(base, 'bench_reporter', PASSWORD);
    const analyst = await signIn(base, 'bench_analyst', PASSWORD);
    const plans = (await (await fetch(`${base}/api/v1/plans`, { headers: { cookie: admin } })).json()) as {
      items: { id: string }[];
    };
    const planId = plans.items[0]?.id;
    if (!planId) throw new Error('no plan loaded');
    const cycle = await fetch(`${base}/api/v1/reporting/cycles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, cookie: admin },
      body: JSON.stringify({
        planId,
        name: '基准周期',
        frequency: 'yearly',
        periodStart: '2024-01-01',
        periodEnd: '2024-12-31',
        dueDate: '2099-01-15',
        graceDays: 5,
      }),
    });
    if (cycle.status !== 201) throw new Error(`cycle: ${cycle.status} ${await cycle.text()}`);
    const cycleId = ((await cycle.json()) as { id: string }).id;
    const template = await fetch(`${base}/api/v1/exchange/templates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, cookie: reporter },
      body: JSON.stringify({ cycleId }),
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await template.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('填报');
    if (!sheet) throw new Error('template without its sheet');
    sheet.getCell(1_048_576, 10).value = 1;
    const farRow = Buffer.from(await wb.xlsx.writeBuffer());

    const post = (url: string, cookie: string, name: string, content: Buffer) => () => {
      const m = multipart(name, content);
      return fetch(`${base}${url}`, {
        method: 'POST',
        headers: { 'content-type': m.type, origin: base, cookie },
        body: m.body,
      });
    };
    const wideCsv = Buffer.from(`${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n1,2\n`);
    const cases: [string, Buffer, () => Promise<Response>][] = [];
    const docx = await docxBomb(100);
    cases.push(['plan .docx → 100 MB', docx, post('/api/v1/plans/preview', admin, '规划.docx', docx)]);
    const tpl = await xlsxBomb(300);
    cases.push([
      'template .xlsx → 300 MB',
      tpl,
      post(`/api/v1/exchange/templates/${cycleId}/upload`, reporter, '填报模板.xlsx', tpl),
    ]);
    cases.push([
      'template, a cell at row 1,048,576',
      farRow,
      post(`/api/v1/exchange/templates/${cycleId}/upload`, reporter, '填报模板.xlsx', farRow),
    ]);
    const survey = await xlsxBomb(600, { declaredSize: 2048 });
    cases.push([
      'survey .xlsx strings → 600 MB',
      survey,
      post('/api/v1/surveys/uploads', analyst, '调查.xlsx', survey),
    ]);
    cases.push([
      'survey CSV, 100,000 columns',
      wideCsv,
      post('/api/v1/surveys/uploads', analyst, 'wide.csv', wideCsv),
    ]);

    const rows: Record<string, string | number>[] = [];
    for (const [what, file, send] of cases) {
      const m = await measure(base, pid, send);
      rows.push({
        file: what,
        'file KB': Math.round(file.length / 1024),
        status: m.status,
        'answered ms': Math.round(m.ms),
        'RSS growth MB': Math.round(m.rssGrowthMb),
        '/healthz max ms': Math.round(m.healthzMaxMs),
        message: m.message.slice(0, 40),
      });
    }
    printTable('Hostile files against a running server (aims: < 2000 ms, < 200 MB, /healthz < 200 ms)', rows);
  } finally {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
