import { loadConfig } from '../config';
import { openCommandDatabase } from './open-db';
import { systemCtx } from '../context';
import { migrateToLatest } from '../db/migrate';
import { AppError } from '../errors';
import { demoStatus, loadDemoData, removeDemoData } from '../modules/demo/demo.service';
import { createFileStorage } from '../storage';

export const DEMO_USAGE = [
  '  demo load                               载入演示数据（示例规划两年的季度填报、两个县的实施方案及填报，标记为演示数据）',
  '  demo remove                             删除全部演示数据（仅删除演示数据，一个事务，记入审计日志）',
  '  demo status                             查看是否载入了演示数据',
];

/** `kesu demo load|remove|status`. Bad use and refusals are AppErrors (one Chinese line, exit 2). */
export async function demoCommand(args: string[]): Promise<void> {
  const [sub] = args;
  if (sub !== 'load' && sub !== 'remove' && sub !== 'status') {
    throw new AppError('BAD_REQUEST', `demo 子命令：load、remove、status\n${DEMO_USAGE.join('\n')}`);
  }
  const config = loadConfig();
  const db = openCommandDatabase(config);
  try {
    await migrateToLatest(db);
    if (sub === 'status') {
      const s = await demoStatus(db.kysely);
      console.log(
        s.isLoaded
          ? `已载入演示数据（批次 ${s.batchId}，${s.createdAt}）：${Object.entries(s.counts)
              .map(([t, n]) => `${t} ${n}`)
              .join('，')}`
          : '没有演示数据',
      );
      return;
    }
    if (sub === 'load') {
      const r = await loadDemoData(db.kysely, systemCtx());
      console.log(
        `已载入演示数据（批次 ${r.batchId}，用时 ${r.ms} ms）：${Object.entries(r.counts)
          .map(([t, n]) => `${t} ${n}`)
          .join('，')}`,
      );
      return;
    }
    const counts = await removeDemoData(db.kysely, systemCtx(), {
      storage: createFileStorage(config, db.kysely),
    });
    console.log(
      `已删除演示数据：${Object.entries(counts)
        .map(([t, n]) => `${t} ${n}`)
        .join('，')}`,
    );
  } finally {
    await db.close();
  }
}
