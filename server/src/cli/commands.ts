import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { RoleSchema, UserCreateSchema } from '@kesu/shared';
import { ConfigError, loadConfig } from '../config';
import { openCommandDatabase } from './open-db';
import { systemCtx } from '../context';
import { BackupError, backupDatabase, partialFileOf, restoreDatabase } from '../db/backup';
import type { Db } from '../db/database';
import { migrateDown, migrateToLatest } from '../db/migrate';
import { AppError } from '../errors';
import { startServer } from '../main';
import { resolveUnitName } from '../modules/units/units.service';
import { listUserRows } from '../modules/users/users.repository';
import { insertUser, resetPasswordByUsername, toUser } from '../modules/users/users.service';
import { prepareDatabase } from '../setup';
import { createFileStorage } from '../storage';
import { DATES_USAGE, datesCommand } from './dates.command';
import { DEMO_USAGE, demoCommand } from './demo.command';
import { PLAN_USAGE, planCommand } from './plan.command';

const USAGE = `用法 usage: kesu <命令>

  serve                                   启动服务（迁移数据库、载入示例数据、提供网页与 API）
  migrate [--down]                        把数据库迁移到最新结构（--down 撤销最近一步）
  user create --username U --name 姓名 --role admin|reporter|leader|analyst [--unit 单位名]
  user reset-password <用户名>            重置密码并显示一次性密码
  user list                               列出用户
  backup <文件> [--force]                 在服务运行时导出一致的备份（数据库与佐证材料、待导入的调查文件，附 SHA-256）
  restore <文件> [--force]                从备份恢复数据库与文件，逐个校验 SHA-256（目标库有数据时须 --force）
${PLAN_USAGE.join('\n')}
${DEMO_USAGE.join('\n')}
${DATES_USAGE.join('\n')}
  survey estimate --data 数据.csv --design 设计.json [--method linearization|raking|jkn|jk1|brr|bootstrap|replicates]
                  [--by 列[,列]]... [--variable 列]... [--seed N] [--replicates N] [--strict] [--format table|csv|json]
                                          按抽样设计估计比例/均值、标准误、置信区间与设计效应（kesu survey estimate --help）
  survey score (--instrument 问卷.json | --sample) --responses 作答.csv [--json]  按问卷的评分规则逐人评分

环境变量见 .env.example（DATABASE_URL 选择 PostgreSQL，默认内嵌 SQLite ./data/kesu.db）。`;

/** Bad input from the command line: one Chinese line on stderr, exit 2. */
class UsageError extends Error {}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = openCommandDatabase(config);
  try {
    await migrateToLatest(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function userCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        unit: { type: 'string' },
      },
    });
    const role = RoleSchema.safeParse(values.role);
    if (!role.success) throw new UsageError('--role 须为 admin、reporter、leader 或 analyst');
    await withDb(async (db) => {
      const config = loadConfig();
      await prepareDatabase(db, config);
      let unitId: string | null = null;
      if (values.unit) {
        const { unit } = await resolveUnitName(db.kysely, values.unit);
        if (!unit) throw new UsageError(`找不到单位“${values.unit}”`);
        unitId = unit.id;
      }
      const input = UserCreateSchema.safeParse({
        username: values.username,
        displayName: values.name ?? values.username,
        role: role.data,
        unitId,
      });
      if (!input.success) throw new UsageError(input.error.issues.map((i) => i.message).join('；'));
      const { user, oneTimePassword } = await db.kysely
        .transaction()
        .execute((trx) => insertUser(trx, systemCtx(), input.data));
      console.log(`已创建用户 ${user.username}（${user.role}${user.unitName ? `，${user.unitName}` : ''}）`);
      console.log(`一次性密码: ${oneTimePassword}  （首次登录须修改）`);
    });
    return;
  }
  if (sub === 'reset-password') {
    const username = rest[0];
    if (!username) throw new UsageError('请给出用户名：kesu user reset-password <用户名>');
    await withDb(async (db) => {
      const { oneTimePassword } = await resetPasswordByUsername(db.kysely, systemCtx(), username);
      console.log(`已重置 ${username} 的密码，账号已解锁，原有会话已注销。`);
      console.log(`一次性密码: ${oneTimePassword}  （首次登录须修改）`);
    });
    return;
  }
  if (sub === 'list') {
    await withDb(async (db) => {
      const { rows } = await listUserRows(db.kysely, { page: 1, pageSize: 200 }, null);
      for (const u of rows.map(toUser)) {
        console.log(
          [
            u.username,
            u.role,
            u.unitName ?? '-',
            u.isActive ? '启用' : '停用',
            u.lockedUntil ? '锁定' : '',
          ].join('\t'),
        );
      }
    });
    return;
  }
  throw new UsageError('user 子命令：create、reset-password、list');
}

export async function run(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      return startServer(loadConfig());
    case 'migrate': {
      const down = args.includes('--down');
      await withDbNoMigrate(async (db) => {
        const names = down ? await migrateDown(db) : await migrateToLatest(db);
        console.log(
          names.length ? `${down ? '已撤销' : '已应用'}：${names.join(', ')}` : '数据库已是最新结构',
        );
      });
      return;
    }
    case 'user':
      return userCommand(args);
    case 'plan':
      return planCommand(args);
    case 'demo':
      return demoCommand(args);
    case 'dates':
      return datesCommand(args);
    case 'backup':
    case 'restore': {
      const { values, positionals } = parseArgs({
        args,
        options: { force: { type: 'boolean' } },
        allowPositionals: true,
      });
      const file = positionals[0];
      if (!file) throw new UsageError(`请给出文件：kesu ${command} <文件>`);
      const config = loadConfig();
      await withDb(async (db) => {
        // Files go through the configured storage: a backup made with one restores into the other.
        const store = createFileStorage(config, db.kysely);
        if (command === 'backup') {
          // Stopped by Ctrl-C or a TERM signal: no half-written file is left (a KILL's is removed by the next backup).
          const stop = () => {
            fs.rmSync(partialFileOf(file), { force: true });
            process.exit(130);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          const h = await backupDatabase(db, file, { force: values.force, files: store });
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          console.log(
            `备份完成：${file}（${Object.entries(h.counts)
              .map(([t, n]) => `${t} ${n}`)
              .join('，')}；文件 ${h.files?.length ?? 0} 个）`,
          );
          if (h.missingFiles?.length) {
            console.error(
              `注意：${h.missingFiles.length} 个文件在存储中已不存在，未能备份：${h.missingFiles.join('，')}`,
            );
          }
        } else {
          const counts = await restoreDatabase(db, file, {
            force: values.force,
            files: { store, stageIn: config.dataDir },
          });
          console.log(
            `恢复完成（${Object.entries(counts)
              .map(([t, n]) => `${t} ${n}`)
              .join('，')}）`,
          );
        }
      });
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`未知命令“${command}”。运行 kesu help 查看用法`);
  }
}

async function withDbNoMigrate(fn: (db: Db) => Promise<void>): Promise<void> {
  const db = openCommandDatabase(loadConfig());
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  if (
    err instanceof UsageError ||
    err instanceof ConfigError ||
    err instanceof BackupError ||
    err instanceof AppError
  ) {
    console.error(err.message);
    process.exit(2);
  }
  if (
    err instanceof Error &&
    'code' in err &&
    typeof (err as { code?: unknown }).code === 'string' &&
    /^E[A-Z]+$/.test((err as { code: string }).code)
  ) {
    console.error(`错误：${err.message}`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
