import { authorize } from '../../authorize';
import { randomInt } from 'node:crypto';
import {
  type BenchmarkRule,
  drawSelfTest,
  type Instrument,
  type InstrumentInput,
  type InstrumentItem,
  type InstrumentSummary,
  type InstrumentUpdate,
  type LiteracyRule,
  type SelfTestDraw,
  type SelfTestResult,
  type SelfTestSubmit,
  scoreResponse,
  seededRandom,
  toPublicItem,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type { Database, InstrumentsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { canManageInstruments, canReadInstruments } from './instruments.policy';
import {
  countInstruments,
  findActiveBankRow,
  findInstrumentRow,
  insertInstrumentRow,
  insertSelfTestResultRow,
  listInstrumentRows,
  selfTestCounts,
  updateInstrumentRow,
} from './instruments.repository';
import { SAMPLE_INSTRUMENTS } from './instruments.sample';

export function toInstrument(row: InstrumentsTable): Instrument {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    purpose: row.purpose as Instrument['purpose'],
    rule: JSON.parse(row.rule_json) as LiteracyRule,
    items: JSON.parse(row.items_json) as InstrumentItem[],
    isActive: row.is_active === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function requireRead(ctx: Ctx): void {
  authorize(ctx, canReadInstruments);
}

function requireManage(ctx: Ctx): void {
  authorize(ctx, canManageInstruments);
}

async function requireInstrument(db: Kysely<Database>, id: string): Promise<InstrumentsTable> {
  const row = await findInstrumentRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '问卷不存在');
  return row;
}

export async function listInstruments(
  db: Kysely<Database>,
  ctx: Ctx,
): Promise<{ items: InstrumentSummary[] }> {
  requireRead(ctx);
  const [rows, counts] = await Promise.all([listInstrumentRows(db), selfTestCounts(db)]);
  const byId = new Map(counts.map((c) => [c.instrumentId, c]));
  return {
    items: rows.map((row) => {
      const { items, ...rest } = toInstrument(row);
      const c = byId.get(row.id);
      return {
        ...rest,
        itemCount: items.length,
        benchmarksCovered: new Set(items.flatMap((i) => i.benchmarks)).size,
        selfTestCount: c?.total ?? 0,
        selfTestPassCount: c?.passed ?? 0,
      };
    }),
  };
}

export async function getInstrument(db: Kysely<Database>, ctx: Ctx, id: string): Promise<Instrument> {
  requireRead(ctx);
  return toInstrument(await requireInstrument(db, id));
}

/** Insert an instrument inside an open transaction (also used by the seed). */
export async function insertInstrument(
  trx: Kysely<Database>,
  ctx: Ctx,
  input: InstrumentInput,
): Promise<Instrument> {
  const now = nowIso();
  const row: InstrumentsTable = {
    id: newId(),
    code: input.code,
    name: input.name,
    description: input.description,
    purpose: input.purpose,
    rule_json: JSON.stringify(input.rule),
    items_json: JSON.stringify(input.items),
    item_count: input.items.length,
    is_active: 1,
    created_by: ctx.user?.id ?? null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await insertInstrumentRow(trx, row);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('DUPLICATE', `代码“${input.code}”已被其他问卷使用`, { field: 'code' });
    throw err;
  }
  const instrument = toInstrument(row);
  await recordAudit(trx, ctx, {
    action: 'instrument.create',
    entityType: 'instrument',
    entityId: instrument.id,
    after: {
      code: instrument.code,
      name: instrument.name,
      rule: instrument.rule,
      itemCount: input.items.length,
    },
  });
  return instrument;
}

export async function createInstrument(
  db: Kysely<Database>,
  ctx: Ctx,
  input: InstrumentInput,
): Promise<Instrument> {
  requireManage(ctx);
  return db.transaction().execute((trx) => insertInstrument(trx, ctx, input));
}

/** Replace an instrument's content; the version goes up, and results keep the version they were scored with. */
export async function updateInstrument(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: InstrumentUpdate,
): Promise<Instrument> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    const row = await requireInstrument(trx, id);
    const before = toInstrument(row);
    const ok = await updateInstrumentRow(trx, id, input.version, {
      name: input.name,
      description: input.description,
      purpose: input.purpose,
      rule_json: JSON.stringify(input.rule),
      items_json: JSON.stringify(input.items),
      item_count: input.items.length,
      is_active: input.isActive === undefined ? row.is_active : input.isActive ? 1 : 0,
      updated_at: nowIso(),
    });
    if (!ok) throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    const after = toInstrument(await requireInstrument(trx, id));
    await recordAudit(trx, ctx, {
      action: 'instrument.update',
      entityType: 'instrument',
      entityId: id,
      before: {
        name: before.name,
        rule: before.rule,
        version: before.version,
        itemCount: before.items.length,
      },
      after: { name: after.name, rule: after.rule, version: after.version, itemCount: after.items.length },
    });
    return after;
  });
}

/** Load the sample questionnaire and item bank into a database that has no instrument yet. */
export async function seedSampleInstruments(trx: Kysely<Database>, ctx: Ctx): Promise<number> {
  if ((await countInstruments(trx)) > 0) return 0;
  for (const input of SAMPLE_INSTRUMENTS) await insertInstrument(trx, ctx, input);
  return SAMPLE_INSTRUMENTS.length;
}

// ---- public self-test ------------------------------------------------------------------------------------------

/** bank id . bank version . seed: the draw is recomputed from it, so nothing is stored until answers arrive. */
const DRAW_ID = /^([0-9A-HJKMNP-TV-Z]{26})\.(\d{1,9})\.(\d{1,10})$/;

function bankOf(row: InstrumentsTable): { instrument: Instrument; rule: BenchmarkRule } {
  const instrument = toInstrument(row);
  if (instrument.rule.kind !== 'benchmark-2016')
    throw new AppError('INVALID_STATE', '自测题库的评分规则有误');
  return { instrument, rule: instrument.rule };
}

/** Draw a 《基准》self-test from the active bank: items covering all 26 基准, without keys or explanations. */
export async function drawPublicSelfTest(db: Kysely<Database>): Promise<SelfTestDraw> {
  const row = await findActiveBankRow(db);
  if (!row) throw new AppError('NOT_FOUND', '暂无可用的自测题库');
  const { instrument, rule } = bankOf(row);
  const seed = randomInt(0, 2 ** 32 - 1);
  const items = drawSelfTest(instrument.items, rule, seededRandom(seed));
  return {
    drawId: `${instrument.id}.${instrument.version}.${seed}`,
    name: instrument.name,
    rule,
    items: items.map(toPublicItem),
  };
}

function invalidDraw(): never {
  throw new AppError('BAD_REQUEST', '自测卷编号无效，请重新开始自测');
}

/**
 * Score a self-test at once. The draw is recomputed from its id, every answered item must belong to it and every
 * answer must be one of the item's options. The result is stored anonymously in its own table (never with survey
 * data) with the rule it was scored with. Public submissions are not written to the audit log: they change no
 * administrative record, and the log would otherwise grow with anonymous traffic.
 */
export async function submitPublicSelfTest(
  db: Kysely<Database>,
  input: SelfTestSubmit,
): Promise<SelfTestResult> {
  const m = DRAW_ID.exec(input.drawId);
  if (!m) invalidDraw();
  const [, bankId, versionText, seedText] = m;
  const seed = Number(seedText);
  if (!Number.isSafeInteger(seed) || seed >= 2 ** 32) invalidDraw();
  const row = await findInstrumentRow(db, bankId!);
  if (row?.purpose !== 'self_test_bank' || row.is_active !== 1) invalidDraw();
  if (row.version !== Number(versionText))
    throw new AppError('INVALID_STATE', '题库已更新，本次自测卷已失效，请重新开始自测');
  const { instrument, rule } = bankOf(row);
  const items = drawSelfTest(instrument.items, rule, seededRandom(seed));
  const byId = new Map(items.map((i) => [i.id, i]));

  const answers: Record<string, string[]> = {};
  for (const a of input.answers) {
    const item = byId.get(a.itemId);
    if (!item) throw new AppError('BAD_REQUEST', `题目“${a.itemId}”不属于本次自测`, { itemId: a.itemId });
    if (answers[a.itemId])
      throw new AppError('BAD_REQUEST', `题目“${a.itemId}”重复作答`, { itemId: a.itemId });
    const keys = new Set(item.options.map((o) => o.key));
    const bad = a.answer.find((k) => !keys.has(k));
    if (bad !== undefined)
      throw new AppError('BAD_REQUEST', `题目“${a.itemId}”没有选项 ${bad}`, {
        itemId: a.itemId,
        option: bad,
      });
    if (item.kind !== 'multiple' && a.answer.length > 1)
      throw new AppError('BAD_REQUEST', `题目“${a.itemId}”只能选一个答案`, { itemId: a.itemId });
    answers[a.itemId] = [...new Set(a.answer)].sort();
  }

  const result = scoreResponse(rule, items, answers);
  const resultId = newId();
  await db.transaction().execute((trx) =>
    insertSelfTestResultRow(trx, {
      id: resultId,
      instrument_id: instrument.id,
      instrument_version: instrument.version,
      rule_json: JSON.stringify(rule),
      score: result.score,
      max_score: result.maxScore,
      is_pass: result.isLiterate ? 1 : 0,
      correct_count: result.correctCount,
      item_count: result.itemCount,
      items_json: JSON.stringify(result.items.map((o) => ({ itemId: o.itemId, isCorrect: o.isCorrect }))),
      created_at: nowIso(),
    }),
  );
  return {
    resultId,
    score: result.score,
    maxScore: result.maxScore,
    passScore: rule.passScore,
    isPass: result.isLiterate,
    correctCount: result.correctCount,
    itemCount: result.itemCount,
    rule,
    items: items.map((item) => ({
      itemId: item.id,
      stem: item.stem,
      options: item.options,
      answer: answers[item.id] ?? [],
      key: item.key,
      isCorrect: result.items.find((o) => o.itemId === item.id)?.isCorrect ?? false,
      explanation: item.explanation,
      benchmarks: item.benchmarks,
    })),
  };
}
