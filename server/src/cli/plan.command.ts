import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toPlanDocument } from '@kesu/plan-parser';
import { loadConfig } from '../config';
import { openCommandDatabase } from './open-db';
import { systemCtx } from '../context';
import { AppError } from '../errors';
import { parsePlanFile, toDraft } from '../modules/plans/plan-document';
import { findPlansLike } from '../modules/plans/plans.repository';
import { importPlanInTrx } from '../modules/plans/plans.service';
import { prepareDatabase } from '../setup';

/*
 * `kesu plan parse FILE [--json]` and `kesu plan import FILE [--plan ID | --new] [--create-units]`.
 * Bad input ends in AppError: one Chinese line on stderr, exit 2 (index.ts).
 */

export const PLAN_USAGE = [
  '  plan parse <文件> [--json]               解析规划文档（.txt UTF-8/GBK 或 .docx），--json 输出 docs/DOMAIN.md §6 结构',
  '  plan import <文件> [--plan 规划ID | --new] [--create-units] [--note 说明]',
  '                                          导入数据库：同名/同文号规划则成为其新版本；未知单位须 --create-units',
];

function readFile(file: string | undefined): Uint8Array {
  if (!file) throw new AppError('BAD_REQUEST', '请给出文件：kesu plan parse <文件>');
  try {
    return fs.readFileSync(file);
  } catch {
    throw new AppError('BAD_REQUEST', `无法读取文件：${file}`);
  }
}

async function parseCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const { plan, doc } = await parsePlanFile(readFile(positionals[0]), positionals[0] ?? null);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(toPlanDocument(plan), null, 2)}\n`);
    return;
  }
  const targets = plan.tasks.reduce((n, t) => n + t.targets.length, 0);
  console.log(`${plan.title ?? '（无标题）'} ${plan.docNumber ?? ''} ${plan.date ?? ''}`.trim());
  console.log(
    `编码 ${doc.encoding}；任务 ${plan.tasks.length} 个，目标 ${targets} 个，基线 ${plan.baselines.length} 个`,
  );
  for (const t of plan.tasks) {
    const units = t.units.length ? `（${t.units.join('、')}）` : '';
    console.log(`${'  '.repeat(t.depth - 1)}${t.path} ${t.title}${units}`);
    for (const g of t.targets)
      console.log(`${'  '.repeat(t.depth)}◎ ${g.text} → ${g.comparator} ${g.value}${g.unit}`);
  }
  for (const w of plan.warnings) console.log(`注意：${w}`);
}

async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      plan: { type: 'string' },
      new: { type: 'boolean' },
      'create-units': { type: 'boolean' },
      note: { type: 'string' },
    },
    allowPositionals: true,
  });
  const file = positionals[0];
  const { plan: parsed } = await parsePlanFile(readFile(file), file ?? null);
  const draft = toDraft(parsed, path.basename(file!));
  const config = loadConfig();
  const db = openCommandDatabase(config);
  try {
    await prepareDatabase(db, config);
    let planId: string | null = values.plan ?? null;
    if (!planId && !values.new) {
      const like = await findPlansLike(db.kysely, draft.title, draft.docNumber);
      if (like.length > 1) {
        throw new AppError(
          'BAD_REQUEST',
          `有 ${like.length} 个同名或同文号的规划，请用 --plan 指定（${like.map((p) => p.id).join('、')}）或用 --new 新建`,
        );
      }
      planId = like[0]?.id ?? null;
    }
    // The command line is trusted as the operator of the server (as `kesu user` is): it acts as the system.
    const r = await db.kysely.transaction().execute((trx) =>
      importPlanInTrx(trx, systemCtx(), {
        draft,
        planId,
        unitMappings: [],
        createUnknownUnits: values['create-units'] === true,
        note: values.note ?? '',
      }),
    );
    console.log(
      `已导入《${r.plan.title}》第 ${r.version.number} 版（规划 ${r.plan.id}）：任务 ${r.version.taskCount} 个，指标 ${r.version.indicatorCount} 个`,
    );
    if (r.unitsCreated.length) console.log(`新建单位：${r.unitsCreated.map((u) => u.name).join('、')}`);
    if (r.diff) {
      const d = r.diff;
      console.log(
        `与第 ${d.fromNumber} 版相比：新增任务 ${d.tasksAdded.length}，删除 ${d.tasksRemoved.length}，修改 ${d.tasksChanged.length}，目标变化 ${d.targetsChanged.length}`,
      );
    }
  } finally {
    await db.close();
  }
}

export async function planCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'parse') return parseCommand(rest);
  if (sub === 'import') return importCommand(rest);
  throw new AppError('BAD_REQUEST', 'plan 子命令：parse、import。运行 kesu help 查看用法');
}
