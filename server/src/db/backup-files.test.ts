import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { buildApp } from '../app';
import { hashPassword } from '../modules/credentials/password';
import { call, TINY_PDF, upload } from '../test/reporting-factory';
import { insertDocumentRow } from '../test/documents-factory';
import { DIALECTS, ORIGIN, PASSWORD, openTestDatabase } from '../test/env';
import { buildTwoTaskPlanDraft } from '../test/plan-factory';
import { runKesu } from '../test/spawn';
import { nowIso } from '../ids';
import { createFileStorage } from '../storage';
import { BACKUP_TABLES, KEY_COLUMNS, BackupError, backupDatabase, restoreDatabase } from './backup';
import type { DialectName } from './dialect';

type TestDb = Awaited<ReturnType<typeof openTestDatabase>>;
const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bak-')), 'kesu.backup.gz');

/** A session cookie of `username` (password PASSWORD). */
async function login(app: Awaited<ReturnType<typeof buildApp>>, username: string): Promise<string> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { origin: ORIGIN },
    payload: { username, password: PASSWORD },
  });
  expect(r.statusCode, r.body).toBe(200);
  return `kesu_session=${r.cookies.find((c) => c.name === 'kesu_session')?.value}`;
}

/**
 * A database with a report holding a real evidence file (through the API), a pending survey upload and a generated
 * document, each with its file stored.
 */
async function withEvidence(
  t: TestDb,
): Promise<{ attachmentId: string; pdf: Buffer; documentId: string; docx: Buffer }> {
  const app = await buildApp({ config: t.config, db: t.db });
  try {
    const k = t.db.kysely;
    const admin = await k
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    await k
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
      .where('id', '=', admin.id)
      .execute();
    const adminCookie = await login(app, 'admin');
    const units = await k
      .selectFrom('units')
      .select(['id', 'name'])
      .where('kind', '=', 'department')
      .limit(2)
      .execute();
    const [a, b] = units as [{ id: string; name: string }, { id: string; name: string }];
    const plan = await call(app, adminCookie, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft(a, b, '备份测试规划'),
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const planId = plan.json().plan.id;
    const tree = (await call(app, adminCookie, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    const taskId = tree.tasks.find((x: { path: string }) => x.path === '1.1').id;
    const cycle = await call(app, adminCookie, 'POST', '/api/v1/reporting/cycles', {
      planId,
      name: '2026年上半年',
      frequency: 'half_yearly',
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      dueDate: '2099-01-15',
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
    const user = await call(app, adminCookie, 'POST', '/api/v1/users', {
      username: 'bak-reporter',
      displayName: '备份填报人',
      role: 'reporter',
      unitId: a.id,
    });
    expect(user.statusCode, user.body).toBe(201);
    await k
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD), must_change_password: 0 })
      .where('username', '=', 'bak-reporter')
      .execute();
    const reporter = await login(app, 'bak-reporter');
    const report = await call(app, reporter, 'POST', '/api/v1/reports', { cycleId: cycle.json().id, taskId });
    expect(report.statusCode, report.body).toBe(200);
    // A real PDF with random bytes in a comment, so each run's file is different.
    const pdf = Buffer.concat([TINY_PDF, Buffer.from(`%${crypto.randomBytes(2000).toString('hex')}\n`)]);
    const up = await upload(app, reporter, report.json().id, '证明.pdf', pdf);
    expect(up.statusCode, up.body).toBe(201);
    // A survey upload waiting for its import: a row and its file.
    await storageOf(t).put('survey-uploads/pending.csv', Buffer.from('区县,性别\n泉山区,男\n'));
    await k
      .insertInto('survey_uploads')
      .values({
        id: '01JZZZZZZZZZZZZZZZZZZZZZZZ',
        file_name: '调查.csv',
        format: 'csv',
        size_bytes: 26,
        storage_path: 'survey-uploads/pending.csv',
        columns_json: '["区县","性别"]',
        preview_json: '[]',
        suggested_mapping_json: '{}',
        status: 'uploaded',
        phase: null,
        bytes_read: 0,
        rows_read: 0,
        report_json: null,
        wave_id: null,
        created_by: null,
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    // A document generated in the background (issue 17): its row and its file, still within its day.
    const docx = crypto.randomBytes(3000);
    const documentId = '01JZZZZZZZZZZZZZZZZZZZZZZY';
    await storageOf(t).put(`documents/2026/${documentId}.docx`, docx);
    await insertDocumentRow(k, {
      id: documentId,
      requested_by: admin.id,
      status: 'done',
      file_key: `documents/2026/${documentId}.docx`,
      file_name: '通知.docx',
      content_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size_bytes: docx.length,
      finished_at: nowIso(),
    });
    return { attachmentId: up.json().id, pdf, documentId, docx };
  } finally {
    await app.close();
  }
}

/** Every row of every table, as text per table in key order (what "byte-identical" is checked on). */
async function allRows(t: TestDb): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of BACKUP_TABLES) {
    // biome-ignore lint/suspicious/noExplicitAny: every table, generically
    let q = (t.db.kysely as any).selectFrom(table).selectAll();
    for (const c of KEY_COLUMNS[table] ?? ['id']) q = q.orderBy(c);
    const rows = await q.execute();
    out[table] = JSON.stringify(
      rows.map((r: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(r).sort(([x], [y]) => (x < y ? -1 : 1))),
      ),
    );
  }
  return out;
}

const storageOf = (t: TestDb) => createFileStorage(t.config, t.db.kysely);

/** SHA-256 of each stored file of these keys, read through the database's own storage ('' for a missing one). */
async function storedFiles(t: TestDb, keys: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const stream = await storageOf(t).open(key);
    const h = crypto.createHash('sha256');
    if (stream) for await (const c of stream as AsyncIterable<Buffer>) h.update(c);
    out[key] = stream ? h.digest('hex') : '';
  }
  return out;
}

/** Files on the local disk under the storage folders (none with FILE_STORAGE=database). */
function filesOnDisk(dir: string): string[] {
  return ['attachments', 'survey-uploads', 'documents'].flatMap((sub) => {
    const root = path.join(dir, sub);
    if (!fs.existsSync(root)) return [];
    return fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => path.relative(dir, path.join(f.parentPath, f.name)));
  });
}

type Storage = 'local' | 'database';

async function roundTrip(from: DialectName, to: DialectName, fromStorage: Storage, toStorage: Storage) {
  const a = await openTestDatabase(from, { FILE_STORAGE: fromStorage });
  const b = await openTestDatabase(to, { SEED_SAMPLE: 'false', FILE_STORAGE: toStorage });
  const file = tmpFile();
  try {
    const { attachmentId, pdf, documentId, docx } = await withEvidence(a);
    const header = await backupDatabase(a.db, file, { files: storageOf(a) });
    const keys = (header.files ?? []).map((f) => f.path).sort();
    expect(keys).toEqual([
      `attachments/${new Date().getUTCFullYear()}/${attachmentId}`,
      `documents/2026/${documentId}.docx`,
      'survey-uploads/pending.csv',
    ]);
    const counts = await restoreDatabase(b.db, file, {
      force: true,
      files: { store: storageOf(b), stageIn: b.config.dataDir },
    });
    expect(counts.files).toBe(3);
    expect(await allRows(b)).toEqual(await allRows(a));
    // Every file byte-identical, read back through the other storage.
    const before = await storedFiles(a, keys);
    expect(Object.values(before).every((h) => h.length === 64)).toBe(true);
    expect(await storedFiles(b, keys)).toEqual(before);
    expect(filesOnDisk(b.config.dataDir).length).toBe(toStorage === 'local' ? 3 : 0);
    // Issue 8, item 6: after restore the report's evidence downloads (it was a 404).
    const app = await buildApp({ config: b.config, db: b.db });
    try {
      const cookie = await login(app, 'bak-reporter');
      const d = await app.inject({ url: `/api/v1/report-attachments/${attachmentId}`, headers: { cookie } });
      expect(d.statusCode).toBe(200);
      expect(d.rawPayload.equals(pdf)).toBe(true);
      // The generated document downloads for the one who asked for it.
      const adminCookie = await login(app, 'admin');
      const g = await app.inject({
        url: `/api/v1/documents/jobs/${documentId}/file`,
        headers: { cookie: adminCookie },
      });
      expect(g.statusCode, g.body).toBe(200);
      expect(g.rawPayload.equals(docx)).toBe(true);
    } finally {
      await app.close();
    }
    expect(fs.readdirSync(b.config.dataDir).filter((n) => n.startsWith('.restore-'))).toEqual([]);
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
}

for (const dialect of DIALECTS) {
  it(`[${dialect}] backup carries evidence files and pending uploads; restore puts them back, verified`, async () => {
    await roundTrip(dialect, dialect, 'local', 'local');
  }, 120_000);

  it(`[${dialect}] files kept in the database restore byte-identical into the local folder, and back`, async () => {
    await roundTrip(dialect, dialect, 'database', 'local');
    await roundTrip(dialect, dialect, 'local', 'database');
  }, 120_000);

  it(`[${dialect}] a file altered inside the backup restores nothing`, async () => {
    const a = await openTestDatabase(dialect);
    // Restoring into files kept in the database: nothing may reach them either.
    const b = await openTestDatabase(dialect, { SEED_SAMPLE: 'false', FILE_STORAGE: 'database' });
    const file = tmpFile();
    try {
      await withEvidence(a);
      const header = await backupDatabase(a.db, file, { files: storageOf(a) });
      const lines = gunzipSync(fs.readFileSync(file)).toString().split('\n');
      const i = lines.findIndex((l) => l.startsWith('{"f":"attachments/'));
      const chunk = JSON.parse(lines[i] ?? '{}');
      const bytes = Buffer.from(chunk.d, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      lines[i] = JSON.stringify({ ...chunk, d: bytes.toString('base64') });
      fs.writeFileSync(file, gzipSync(lines.join('\n')));
      const before = await allRows(b);
      const files = { store: storageOf(b), stageIn: b.config.dataDir };
      await expect(restoreDatabase(b.db, file, { force: true, files })).rejects.toThrow(BackupError);
      await expect(restoreDatabase(b.db, file, { force: true, files })).rejects.toThrow(/SHA-256/);
      expect(await allRows(b)).toEqual(before);
      expect(filesOnDisk(b.config.dataDir)).toEqual([]);
      const keys = (header.files ?? []).map((f) => f.path);
      expect(keys.length).toBe(3);
      expect(Object.values(await storedFiles(b, keys))).toEqual(['', '', '']);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  }, 120_000);
}

// Across engines: only where PostgreSQL is under test (npm run test:pg), SQLite being always at hand.
if (DIALECTS.includes('postgres')) {
  it('backup on SQLite restores on PostgreSQL: every row and every file identical, across storages', async () => {
    await roundTrip('sqlite', 'postgres', 'local', 'database');
  }, 120_000);
  it('backup on PostgreSQL restores on SQLite: every row and every file identical, across storages', async () => {
    await roundTrip('postgres', 'sqlite', 'database', 'local');
  }, 120_000);
}

if (DIALECTS.includes('sqlite')) {
  it('a backup killed midway leaves no .partial file once the next backup runs; a TERM leaves none at all', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-kill-'));
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'false' };
    try {
      expect(runKesu(['migrate'], env).status).toBe(0);
      // A large pending upload makes the backup take a while.
      const t = await openTestDatabase('sqlite', { DATA_DIR: dataDir });
      fs.mkdirSync(path.join(dataDir, 'survey-uploads'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'survey-uploads', 'big.csv'), crypto.randomBytes(60 * 1024 * 1024));
      await t.db.kysely
        .insertInto('survey_uploads')
        .values({
          id: '01JZZZZZZZZZZZZZZZZZZZZZZY',
          file_name: 'big.csv',
          format: 'csv',
          size_bytes: 60 * 1024 * 1024,
          storage_path: 'survey-uploads/big.csv',
          columns_json: '[]',
          preview_json: '[]',
          suggested_mapping_json: '{}',
          status: 'uploaded',
          phase: null,
          bytes_read: 0,
          rows_read: 0,
          report_json: null,
          wave_id: null,
          created_by: null,
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
        })
        .execute();
      await t.db.close();
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-kill-out-'));
      const target = path.join(out, 'b.gz');
      const partials = () => fs.readdirSync(out).filter((n) => n.includes('.partial-'));
      const killDuring = async (signal: NodeJS.Signals) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'server/src/cli/index.ts', 'backup', target],
          {
            // From the repository root, whatever folder vitest was started in.
            cwd: path.resolve(import.meta.dirname, '../../..'),
            env: { ...process.env, LOG_LEVEL: 'silent', ...env },
            stdio: 'ignore',
          },
        );
        const exited = new Promise((r) => child.once('exit', r));
        for (let i = 0; i < 600 && partials().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
        expect(partials().length).toBe(1);
        child.kill(signal);
        await exited;
      };
      await killDuring('SIGTERM');
      expect(partials()).toEqual([]);
      expect(fs.existsSync(target)).toBe(false);
      await killDuring('SIGKILL');
      const done = runKesu(['backup', target], env);
      expect(done.status, done.stderr).toBe(0);
      expect(partials()).toEqual([]);
      expect(fs.existsSync(target)).toBe(true);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
}
