import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Db } from './database';
import { MIGRATIONS } from './migrate';

/**
 * Tables copied by a backup, parents before children. A test checks that every table of the schema is listed,
 * so a migration that adds a table fails the suite until it is added here.
 */
export const BACKUP_TABLES = [
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
  'indicators',
  'indicator_breakdowns',
  'survey_waves',
  'survey_wave_columns',
  'survey_estimates',
  'survey_uploads',
  'population_margins',
  // Report evidence files live under DATA_DIR/attachments, not in the database: copy that folder with the backup.
  'reporting_cycles',
  'progress_reports',
  'report_values',
  'report_events',
  'report_attachments',
  'dashboard_snapshots',
  'supervision_notices',
  'supervision_events',
  'notifications',
  'demo_batches',
] as const;

/** Key column of tables without `id` (rows are written in key order). */
const KEY_COLUMN: Record<string, string> = { login_throttle: 'key' };

/** Columns that point into their own table: restored in a second pass, once every row exists. */
const SELF_REFERENCES: Record<string, string[]> = {
  units: ['merged_into_id'],
  plan_tasks: ['parent_id'],
  progress_reports: ['prefilled_from_id'],
};

const FORMAT = 'kesu-backup';
const FORMAT_VERSION = 1;

interface Header {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
  dialect: string;
  migrations: string[];
  counts: Record<string, number>;
}

export class BackupError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: backup copies rows of every table generically
type AnyDb = Kysely<any>;

/**
 * Write a consistent copy of the database to `file` (gzip-compressed JSON lines) while the server may be writing:
 * every table is read inside one transaction, so the copy is one snapshot (WAL on SQLite, REPEATABLE READ on
 * PostgreSQL). The same format restores into either engine. The file appears only when complete.
 */
export async function backupDatabase(db: Db, file: string, opts: { force?: boolean } = {}): Promise<Header> {
  const target = path.resolve(file);
  if (fs.existsSync(target) && !opts.force) throw new BackupError(`文件已存在：${target}（用 --force 覆盖）`);
  const tmp = `${target}.partial-${process.pid}`;
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
    await tx.execute(async (trx) => {
      const t = trx as AnyDb;
      const migrations = (await t.selectFrom('kesu_migrations').select('name').orderBy('name').execute()).map(
        (r: { name: string }) => r.name,
      );
      const counts: Record<string, number> = {};
      const tables: Record<string, unknown[]> = {};
      for (const table of BACKUP_TABLES) {
        const rows = await t
          .selectFrom(table)
          .selectAll()
          .orderBy(KEY_COLUMN[table] ?? 'id')
          .execute();
        tables[table] = rows;
        counts[table] = rows.length;
      }
      header = {
        format: FORMAT,
        formatVersion: FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        dialect: db.dialect,
        migrations,
        counts,
      };
      await write(header);
      for (const table of BACKUP_TABLES)
        for (const row of tables[table] ?? []) await write({ t: table, r: row });
    });
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

async function readBackup(
  file: string,
): Promise<{ header: Header; rows: Map<string, Record<string, unknown>[]> }> {
  if (!fs.existsSync(file)) throw new BackupError(`备份文件不存在：${file}`);
  const input = fs.createReadStream(file).pipe(createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let header: Header | null = null;
  const rows = new Map<string, Record<string, unknown>[]>();
  try {
    for await (const line of lines) {
      if (!line) continue;
      const obj = JSON.parse(line);
      if (!header) {
        if (obj?.format !== FORMAT) throw new BackupError('不是 kesu 备份文件');
        if (obj.formatVersion > FORMAT_VERSION) throw new BackupError('备份文件版本较新，请先升级 kesu');
        header = obj as Header;
        continue;
      }
      const list = rows.get(obj.t) ?? [];
      list.push(obj.r);
      rows.set(obj.t, list);
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`备份文件已损坏或不是 kesu 备份：${(err as Error).message}`);
  }
  if (!header) throw new BackupError('备份文件为空');
  for (const [table, list] of rows) {
    if (!(BACKUP_TABLES as readonly string[]).includes(table))
      throw new BackupError(`备份包含未知的表：${table}`);
    if (list.length !== header.counts[table]) throw new BackupError(`备份文件不完整（${table}）`);
  }
  return { header, rows };
}

/**
 * Replace the database's content with a backup, in one transaction: nothing half-restored. The database must already
 * be at the backup's schema (run migrations first); a database holding data is overwritten only with `force`.
 */
export async function restoreDatabase(
  db: Db,
  file: string,
  opts: { force?: boolean } = {},
): Promise<Record<string, number>> {
  const { header, rows } = await readBackup(path.resolve(file));
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
    for (const table of [...BACKUP_TABLES].reverse()) await x.deleteFrom(table).execute();
    for (const table of BACKUP_TABLES) {
      const list = rows.get(table) ?? [];
      const selfRefs = SELF_REFERENCES[table] ?? [];
      for (let i = 0; i < list.length; i += 200) {
        const batch = list.slice(i, i + 200).map((r) => {
          const copy = { ...r };
          for (const c of selfRefs) copy[c] = null;
          return copy;
        });
        if (batch.length) await x.insertInto(table).values(batch).execute();
      }
      for (const c of selfRefs) {
        for (const r of list) {
          if (r[c] != null)
            await x
              .updateTable(table)
              .set({ [c]: r[c] })
              .where('id', '=', r.id)
              .execute();
        }
      }
      counts[table] = list.length;
    }
  });
  return counts;
}

/** Every user table of the database (for the completeness test of BACKUP_TABLES). */
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
