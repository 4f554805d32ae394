import fs from 'node:fs';
import type { Config } from '../config';
import { type Db, openDatabase } from '../db/database';

/** Where a command's data lives, as one line for people (no password). */
export function databaseLine(database: Config['database'], existed: boolean): string {
  if (database.kind === 'sqlite') {
    return `数据库：内嵌 SQLite ${database.file}${existed ? '' : '（新建；设置 DATA_DIR 或 DATABASE_URL 可改用其他数据库）'}`;
  }
  const u = new URL(database.url);
  return `数据库：PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
}

/**
 * Open the configured database for a `kesu` command and say on stderr which one (stdout stays for the command's
 * output): a command run without DATA_DIR in the wrong folder would otherwise quietly make a new ./data.
 */
export function openCommandDatabase(config: Config): Db {
  const existed = config.database.kind === 'sqlite' ? fs.existsSync(config.database.file) : true;
  console.error(databaseLine(config.database, existed));
  return openDatabase(config.database);
}
