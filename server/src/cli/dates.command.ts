import { loadConfig } from '../config';
import { systemCtx } from '../context';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { AppError } from '../errors';
import { findBadDates, fixStoredDate } from '../modules/maintenance/stored-dates.service';

export const DATES_USAGE = [
  '  dates [list]                            列出数据库中无效的日期（如 2027-13-01、2025-02-29），无则退出码 0',
  '  dates fix <表> <编号> <列> <YYYY-MM-DD>  把一个无效日期改为正确日期（一个事务，记入审计日志）',
];

/** `kesu dates [list]` (exit 1 when any bad date is stored) and `kesu dates fix`. */
export async function datesCommand(args: string[]): Promise<void> {
  const [sub = 'list', ...rest] = args;
  if (sub !== 'list' && sub !== 'fix') {
    throw new AppError('BAD_REQUEST', `dates 子命令：list、fix\n${DATES_USAGE.join('\n')}`);
  }
  if (sub === 'fix' && rest.length !== 4) {
    throw new AppError(
      'BAD_REQUEST',
      `用法：kesu dates fix <表> <编号> <列> <YYYY-MM-DD>（表、编号、列见 kesu dates）`,
    );
  }
  const config = loadConfig();
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
    if (sub === 'fix') {
      const [table = '', id = '', column = '', value = ''] = rest;
      const { before } = await fixStoredDate(db.kysely, systemCtx(), { table, column, id, value });
      console.log(`已修正 ${table}.${column} ${id}：“${before ?? ''}” → ${value}`);
      return;
    }
    const bad = await findBadDates(db.kysely);
    if (bad.length === 0) {
      console.log('没有无效日期');
      return;
    }
    console.log(`有 ${bad.length} 个无效日期（表\t编号\t列\t值）：`);
    for (const b of bad) console.log(`${b.table}\t${b.id}\t${b.column}\t${b.value}`);
    console.log('修正：kesu dates fix <表> <编号> <列> <YYYY-MM-DD>');
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}
