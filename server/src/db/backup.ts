import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Db } from './database';
import { MIGRATIONS } from './migrate';

/**
 * Tables copied by a backup, parents before children. A test checks that every table of the schema is listed here
 * or in TRANSIENT_TABLES or FILE_STORAGE_TABLES, so a migration that adds a table fails the suite until it is added to one of them.
 */
export const BACKUP_TABLES = [
  'jurisdictions',
  'units',
  'users',
  'sessions',
  'login_attempts',
  'login_throttle',
  'audit_log',
  'instruments',
  'self_test_results',
  'plans',
  'plan_versions',
  'plan_tasks',
  'plan_task_units',
  'task_links',
  'indicators',
  'indicator_breakdowns',
  'allocations',
  'survey_waves',
  'survey_wave_columns',
  'survey_estimates',
  'survey_uploads',
  'population_margins',
  // Report evidence files (DATA_DIR/attachments) and pending survey uploads (DATA_DIR/survey-uploads) travel in
  // the backup file too, with their SHA-256 (BACKUP_FILE_SOURCES).
  'reporting_cycles',
  'progress_reports',
  'report_values',
  'report_events',
  'report_attachments',
  'dashboard_snapshots',
  'supervision_notices',
  'supervision_events',
  // The scheduled alert scan's runs and the alert keys it has seen (migration 0193): without them a restored
  // installation would announce every standing alert again as new.
  'alert_scans',
  'alert_keys',
  'notifications',
  'reminder_sends',
  'demo_batches',
  'resources',
  'activities',
  'activity_coorganisers',
  // Activity photos and files (DATA_DIR/activity-files) travel like report evidence (BACKUP_FILE_SOURCES).
  'activity_files',
  'volunteer_services',
  'funding',
  'funding_standards',
  'content_items',
  'indicator_bindings',
  // 年度考核; evidence and appeal files (DATA_DIR/assessment-files) travel like report evidence (BACKUP_FILE_SOURCES).
  'assessment_rubrics',
  'assessment_items',
  'assessment_scores',
  'assessment_appeals',
  'assessment_files',
  'assessment_results',
  'capacity_configs',
  'capacity_results',
  'recognitions',
  'document_templates',
  // Who asked for which background document (issue 17); the files (DATA_DIR/documents, `file_key`) travel while
  // they live (a day), like report evidence (BACKUP_FILE_SOURCES).
  'generated_documents',
] as const;

/**
 * Tables a backup leaves out: counters that matter for a window of minutes (migration 0192). The self-test's
 * address hashes must not outlive their window in a backup file; a restore leaves these tables as they are.
 */
export const TRANSIENT_TABLES = ['rate_limit_counters', 'self_test_attempts'] as const;

/** Key columns of tables without `id` (rows are written in key order). */
export const KEY_COLUMNS: Record<string, string[]> = {
  login_throttle: ['key'],
  alert_keys: ['scope', 'alert_key'],
  activity_coorganisers: ['activity_id', 'unit_id'],
  funding_standards: ['jurisdiction_id', 'year'],
  indicator_bindings: ['indicator_id'],
};

/** Columns that point into their own table: restored in a second pass, once every row exists. */
const SELF_REFERENCES: Record<string, string[]> = {
  units: ['merged_into_id'],
  plan_tasks: ['parent_id'],
  progress_reports: ['prefilled_from_id'],
  jurisdictions: ['parent_id'],
  resources: ['parent_id'],
  activities: ['duplicate_of'],
};

/** Columns that point into a table restored later: set once every table's rows exist (and cleared before deleting). */
const LATER_REFERENCES: Record<string, string[]> = {
  jurisdictions: ['government_unit_id'],
};

/** Set the reference columns that were left null on insert, once the rows they point to exist. */
async function restoreReferences(
  x: AnyDb,
  table: string,
  cols: readonly string[],
  list: Record<string, unknown>[],
): Promise<void> {
  for (const c of cols) {
    for (const r of list) {
      if (r[c] != null)
        await x
          .updateTable(table)
          .set({ [c]: r[c] })
          .where('id', '=', r.id as string)
          .execute();
    }
  }
}

/**
 * Files under DATA_DIR that rows point to (`column`, relative to DATA_DIR, inside `dir`): a backup carries each one
 * that exists, restore puts them back. `transient`: a file the system removes in its time (a survey upload once
 * imported, a generated document after a day), so a row without its file is not reported missing.
 */
const BACKUP_FILE_SOURCES = [
  { table: 'report_attachments', dir: 'attachments', column: 'storage_path', transient: false },
  { table: 'survey_uploads', dir: 'survey-uploads', column: 'storage_path', transient: true },
  { table: 'activity_files', dir: 'activity-files', column: 'storage_path', transient: false },
  { table: 'assessment_files', dir: 'assessment-files', column: 'storage_path', transient: false },
  { table: 'generated_documents', dir: 'documents', column: 'file_key', transient: true },
] as const;

const FORMAT = 'kesu-backup';
/** 1: tables only. 2: tables, then the files of BACKUP_FILE_SOURCES in chunks, each listed with its SHA-256. */
const FORMAT_VERSION = 2;
/** Bytes of a file per line of the backup (base64 in JSON). */
const FILE_CHUNK = 768 * 1024;

/**
 * The file storage (storage/, FILE_STORAGE) as a backup sees it: files are read from it and restored into it, so a
 * backup made with one storage restores into the other. (db/ does not import storage/; the CLI passes it in.)
 */
export interface BackupFileStore {
  stat(key: string): Promise<{ size: number; sha256: string } | null>;
  open(key: string): Promise<Readable | null>;
  putFile(key: string, file: string, opts: { replace: boolean }): Promise<unknown>;
}

/**
 * Tables of the database storage (FILE_STORAGE=database): not copied as rows. Their files travel as the files of
 * BACKUP_FILE_SOURCES do, whatever the storage.
 */
export const FILE_STORAGE_TABLES = ['file_blobs', 'file_chunks'] as const;

export interface BackupFile {
  /** Relative to DATA_DIR, with '/' separators. */
  path: string;
  size: number;
  sha256: string;
}

interface Header {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
  dialect: string;
  migrations: string[];
  counts: Record<string, number>;
  files?: BackupFile[];
  /** Files rows point to that were not on disk at backup time. */
  missingFiles?: string[];
}

/** A storage path a row may hold: relative, inside its folder, no '..' (a restored row cannot write elsewhere). */
function safeRelative(rel: unknown, dir: string): string | null {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\\') || rel.includes('\0')) return null;
  const parts = rel.split('/');
  if (parts[0] !== dir || parts.length < 2 || parts.some((p) => p === '' || p === '.' || p === '..'))
    return null;
  return rel;
}

/** Leftovers of a backup or restore that was killed (its process is gone): removed before the next one. */
function removeStaleTemp(dir: string, prefix: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    let alive = pid === process.pid;
    if (!alive) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (err) {
        alive = (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (!alive) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** The temporary file a backup to `target` writes before it is complete. */
export function partialFileOf(target: string): string {
  return `${path.resolve(target)}.partial-${process.pid}`;
}

export class BackupError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: backup copies rows of every table generically
type AnyDb = Kysely<any>;

/**
 * Write a consistent copy of the database to `file` (gzip-compressed JSON lines) while the server may be writing:
 * every table is read inside one transaction, so the copy is one snapshot (WAL on SQLite, REPEATABLE READ on
 * PostgreSQL). The files those rows point to, read from the file storage (`files`), follow, in chunks, each listed in the header with its
 * size and SHA-256 (checked again as it is written). The same format restores into either engine. The file appears
 * only when complete; the temporary `.partial-<pid>` of a backup that was killed is removed by the next backup.
 */
export async function backupDatabase(
  db: Db,
  file: string,
  opts: { force?: boolean; files?: BackupFileStore } = {},
): Promise<Header> {
  const target = path.resolve(file);
  if (fs.existsSync(target) && !opts.force) throw new BackupError(`文件已存在：${target}（用 --force 覆盖）`);
  removeStaleTemp(path.dirname(target), `${path.basename(target)}.partial-`);
  const tmp = partialFileOf(target);
  const gzip = createGzip();
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  gzip.pipe(out);
  const write = async (obj: unknown) => {
    if (!gzip.write(`${JSON.stringify(obj)}\n`)) await once(gzip, 'drain');
  };
  let header: Header | undefined;
  try {
    let tx = db.kysely.transaction();
    if (db.dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read');
    const files: BackupFile[] = [];
    const missingFiles: string[] = [];
    // The rows, as one snapshot. Files are looked up after it: on SQLite the storage shares the one connection the
    // snapshot holds (a file removed in between fails the backup below, never silently).
    const snapshot = await tx.execute(async (trx) => {
      const t = trx as AnyDb;
      const migrations = (await t.selectFrom('kesu_migrations').select('name').orderBy('name').execute()).map(
        (r: { name: string }) => r.name,
      );
      const counts: Record<string, number> = {};
      const tables: Record<string, unknown[]> = {};
      for (const table of BACKUP_TABLES) {
        let q = t.selectFrom(table).selectAll();
        for (const c of KEY_COLUMNS[table] ?? ['id']) q = q.orderBy(c);
        const rows = await q.execute();
        tables[table] = rows;
        counts[table] = rows.length;
      }
      return { migrations, counts, tables };
    });
    const { tables } = snapshot;
    if (opts.files) {
      const seen = new Set<string>();
      for (const src of BACKUP_FILE_SOURCES) {
        for (const row of (tables[src.table] ?? []) as Array<Record<string, unknown>>) {
          const rel = safeRelative(row[src.column], src.dir);
          if (!rel || seen.has(rel)) continue;
          seen.add(rel);
          const facts = await opts.files.stat(rel);
          if (!facts) {
            if (!src.transient) missingFiles.push(rel);
            continue;
          }
          files.push({ path: rel, ...facts });
        }
      }
    }
    header = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      dialect: db.dialect,
      migrations: snapshot.migrations,
      counts: snapshot.counts,
      files,
      ...(missingFiles.length ? { missingFiles } : {}),
    };
    await write(header);
    for (const table of BACKUP_TABLES)
      for (const row of tables[table] ?? []) await write({ t: table, r: row });
    for (const f of files) {
      const h = createHash('sha256');
      const input = await opts.files?.open(f.path);
      if (!input) throw new BackupError(`备份期间文件被删除：${f.path}，请重试`);
      // Lines of FILE_CHUNK bytes whatever sizes the storage streams in.
      let pending: Buffer = Buffer.alloc(0);
      for await (const chunk of input as AsyncIterable<Buffer>) {
        h.update(chunk);
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        while (pending.length >= FILE_CHUNK) {
          await write({ f: f.path, d: pending.subarray(0, FILE_CHUNK).toString('base64') });
          pending = pending.subarray(FILE_CHUNK);
        }
      }
      if (pending.length) await write({ f: f.path, d: pending.toString('base64') });
      if (h.digest('hex') !== f.sha256) throw new BackupError(`备份期间文件被改动：${f.path}，请重试`);
    }
    gzip.end();
    await once(out, 'close');
    fs.renameSync(tmp, target);
  } catch (err) {
    gzip.destroy();
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return header!;
}

interface ReadBackup {
  header: Header;
  rows: Map<string, Record<string, unknown>[]>;
  /** Files written to `stageDir` (same relative paths), each checked against its size and SHA-256. */
  files: BackupFile[];
}

async function readBackup(file: string, stageDir: string | null): Promise<ReadBackup> {
  if (!fs.existsSync(file)) throw new BackupError(`备份文件不存在：${file}`);
  const input = fs.createReadStream(file).pipe(createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let header: Header | null = null;
  const rows = new Map<string, Record<string, unknown>[]>();
  const listed = new Map<string, BackupFile>();
  const open = new Map<string, { fd: number; hash: ReturnType<typeof createHash>; size: number }>();
  try {
    for await (const line of lines) {
      if (!line) continue;
      const obj = JSON.parse(line);
      if (!header) {
        if (obj?.format !== FORMAT) throw new BackupError('不是 kesu 备份文件');
        if (obj.formatVersion > FORMAT_VERSION) throw new BackupError('备份文件版本较新，请先升级 kesu');
        header = obj as Header;
        for (const f of header.files ?? []) {
          const dir = BACKUP_FILE_SOURCES.find((s) => f.path.startsWith(`${s.dir}/`))?.dir ?? '';
          if (!safeRelative(f.path, dir)) throw new BackupError(`备份中的文件路径无效：${String(f.path)}`);
          listed.set(f.path, f);
        }
        continue;
      }
      if (typeof obj.f === 'string') {
        const f = listed.get(obj.f);
        if (!f || typeof obj.d !== 'string') throw new BackupError(`备份包含未列出的文件：${obj.f}`);
        if (!stageDir) continue;
        let w = open.get(f.path);
        if (!w) {
          const abs = path.join(stageDir, ...f.path.split('/'));
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          w = { fd: fs.openSync(abs, 'w', 0o600), hash: createHash('sha256'), size: 0 };
          open.set(f.path, w);
        }
        const bytes = Buffer.from(obj.d, 'base64');
        w.hash.update(bytes);
        w.size += bytes.length;
        fs.writeSync(w.fd, bytes);
        continue;
      }
      const list = rows.get(obj.t) ?? [];
      list.push(obj.r);
      rows.set(obj.t, list);
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`备份文件已损坏或不是 kesu 备份：${(err as Error).message}`);
  } finally {
    for (const w of open.values()) fs.closeSync(w.fd);
  }
  if (!header) throw new BackupError('备份文件为空');
  for (const [table, list] of rows) {
    if (!(BACKUP_TABLES as readonly string[]).includes(table))
      throw new BackupError(`备份包含未知的表：${table}`);
    if (list.length !== header.counts[table]) throw new BackupError(`备份文件不完整（${table}）`);
  }
  for (const f of listed.values()) {
    if (!stageDir) break;
    const w = open.get(f.path);
    const empty = f.size === 0 && !w;
    if (empty) {
      const abs = path.join(stageDir, ...f.path.split('/'));
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, '', { mode: 0o600 });
      if (createHash('sha256').digest('hex') === f.sha256) continue;
    }
    if (!w) throw new BackupError(`备份文件不完整（缺少文件 ${f.path}）`);
    if (w.size !== f.size || w.hash.digest('hex') !== f.sha256) {
      throw new BackupError(`备份中的文件 ${f.path} 校验失败（SHA-256 不符），未恢复任何内容`);
    }
  }
  return { header, rows, files: [...listed.values()] };
}

/**
 * Replace the database's content with a backup, in one transaction: nothing half-restored. The database must already
 * be at the backup's schema (run migrations first); a database holding data is overwritten only with `force`.
 */
export async function restoreDatabase(
  db: Db,
  file: string,
  opts: RestoreOptions = {},
): Promise<Record<string, number>> {
  let stageDir: string | null = null;
  if (opts.files) {
    fs.mkdirSync(opts.files.stageIn, { recursive: true });
    removeStaleTemp(opts.files.stageIn, '.restore-');
    stageDir = path.join(opts.files.stageIn, `.restore-${process.pid}`);
    fs.rmSync(stageDir, { recursive: true, force: true });
  }
  try {
    return await restoreStaged(db, file, opts, stageDir);
  } finally {
    if (stageDir) fs.rmSync(stageDir, { recursive: true, force: true });
  }
}

/**
 * `files`: where restored files go (`store`) and the local folder (DATA_DIR) they are checked in first (`stageIn`):
 * nothing reaches the storage until every file matched its SHA-256 and the rows are in.
 */
export interface RestoreOptions {
  force?: boolean;
  files?: { store: BackupFileStore; stageIn: string };
}

async function restoreStaged(
  db: Db,
  file: string,
  opts: RestoreOptions,
  stageDir: string | null,
): Promise<Record<string, number>> {
  const { header, rows, files } = await readBackup(path.resolve(file), stageDir);
  const known = Object.keys(MIGRATIONS);
  const unknown = header.migrations.filter((m) => !known.includes(m));
  if (unknown.length) throw new BackupError(`备份来自更新版本的 kesu（未知迁移：${unknown.join(', ')}）`);
  const t = db.kysely as AnyDb;
  const applied = (await t.selectFrom('kesu_migrations').select('name').execute()).map(
    (r: { name: string }) => r.name,
  );
  if (applied.length !== header.migrations.length) {
    throw new BackupError('数据库结构与备份不一致：请用相同版本的 kesu 恢复');
  }
  let hasData = false;
  for (const table of ['units', 'users'] as const) {
    const r = await t.selectFrom(table).select('id').limit(1).execute();
    if (r.length) hasData = true;
  }
  if (hasData && !opts.force) throw new BackupError('目标数据库已有数据；确认覆盖请加 --force');

  const counts: Record<string, number> = {};
  await db.kysely.transaction().execute(async (trx) => {
    const x = trx as AnyDb;
    for (const [table, cols] of Object.entries(LATER_REFERENCES)) {
      await x
        .updateTable(table)
        .set(Object.fromEntries(cols.map((c) => [c, null])))
        .execute();
    }
    for (const table of [...BACKUP_TABLES].reverse()) await x.deleteFrom(table).execute();
    for (const table of BACKUP_TABLES) {
      const list = rows.get(table) ?? [];
      const selfRefs = [...(SELF_REFERENCES[table] ?? []), ...(LATER_REFERENCES[table] ?? [])];
      for (let i = 0; i < list.length; i += 200) {
        const batch = list.slice(i, i + 200).map((r) => {
          const copy = { ...r };
          for (const c of selfRefs) copy[c] = null;
          return copy;
        });
        if (batch.length) await x.insertInto(table).values(batch).execute();
      }
      await restoreReferences(x, table, SELF_REFERENCES[table] ?? [], list);
      counts[table] = list.length;
    }
    for (const [table, cols] of Object.entries(LATER_REFERENCES)) {
      await restoreReferences(x, table, cols, rows.get(table) ?? []);
    }
  });
  // The rows are in; the files (verified while staged) move into place beside them.
  if (stageDir && opts.files) {
    for (const f of files) {
      await opts.files.store.putFile(f.path, path.join(stageDir, ...f.path.split('/')), { replace: true });
    }
    counts.files = files.length;
  }
  return counts;
}

/** Every user table of the database (for the completeness test of BACKUP_TABLES and TRANSIENT_TABLES). */
export async function listTables(db: Db): Promise<string[]> {
  const q =
    db.dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema()`;
  const r = await q.execute(db.kysely);
  return r.rows.map((x) => x.name).filter((n) => !n.startsWith('kesu_migrations'));
}
