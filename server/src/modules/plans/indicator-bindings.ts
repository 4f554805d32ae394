import {
  describeRegistryQuery,
  type IndicatorBinding,
  type IndicatorBindingInput,
  measuresForKind,
  proposeRegistryQuery,
  type RegistryQuery,
  RegistryQuerySchema,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize } from '../../authorize';
import { type Ctx, readsJurisdiction, worksIn } from '../../context';
import type { Database, IndicatorBindingsTable, IndicatorsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { canManagePlans, canReadPlans } from './plans.policy';
import {
  bindingRowsOf,
  deleteBindingRow,
  findIndicatorRow,
  findPlanRow,
  findTaskRow,
  findVersionHead,
  insertBindingRows,
  planJurisdictionPath,
  versionBindingRows,
} from './plans.repository';

/**
 * Indicators bound to the registries (issue 13): their actual values come from a registry query through the progress
 * module's registry source, never typed. A new version binds its countable targets out of the box
 * (`proposeRegistryQuery`), and keeps the admin's bindings of the previous version for targets of the same text.
 */
export async function bindImportedIndicators(
  trx: Kysely<Database>,
  indicators: IndicatorsTable[],
  opts: { previousVersionId: string | null; planStart: string | null; now: string; userId: string | null },
): Promise<void> {
  // A target the previous version had keeps what the admin left it with (bound or typed); a new one is proposed.
  const kept = new Map<string, string | null>();
  if (opts.previousVersionId)
    for (const r of await versionBindingRows(trx, opts.previousVersionId)) kept.set(r.text, r.query_json);
  const rows: IndicatorBindingsTable[] = [];
  for (const i of indicators) {
    const query = kept.has(i.text) ? (kept.get(i.text) ?? null) : proposed(i, opts.planStart);
    if (!query) continue;
    rows.push({
      indicator_id: i.id,
      query_json: query,
      created_by: opts.userId,
      created_at: opts.now,
      updated_at: opts.now,
    });
  }
  await insertBindingRows(trx, rows);
}

function proposed(i: Pick<IndicatorsTable, 'text' | 'kind'>, planStart: string | null): string | null {
  const q = proposeRegistryQuery({ text: i.text, kind: i.kind }, planStart);
  return q ? JSON.stringify(q) : null;
}

interface Loaded {
  indicator: IndicatorsTable;
  planJurisdictionId: string | null;
  planStart: string | null;
}

async function load(db: Kysely<Database>, ctx: Ctx, indicatorId: string): Promise<Loaded> {
  const indicator = await findIndicatorRow(db, indicatorId);
  const task = indicator ? await findTaskRow(db, indicator.task_id) : undefined;
  const head = task ? await findVersionHead(db, task.version_id) : undefined;
  const plan = head ? await findPlanRow(db, head.plan_id) : undefined;
  if (!indicator || !head || !plan) throw new AppError('NOT_FOUND', '指标不存在');
  const path = await planJurisdictionPath(db, plan.id);
  const user = ctx.user;
  const above = path !== null && (user?.jurisdictionPath?.startsWith(path) ?? false);
  if (!user || (!above && !readsJurisdiction(user, path))) throw new AppError('NOT_FOUND', '指标不存在');
  return { indicator, planJurisdictionId: plan.jurisdiction_id, planStart: head.doc_date };
}

function parseQuery(json: string | undefined): RegistryQuery | null {
  if (!json) return null;
  const r = RegistryQuerySchema.safeParse(JSON.parse(json));
  return r.success ? r.data : null;
}

function view(ctx: Ctx, l: Loaded, row: IndicatorBindingsTable | undefined): IndicatorBinding {
  const query = parseQuery(row?.query_json);
  const p = proposed(l.indicator, l.planStart);
  return {
    indicatorId: l.indicator.id,
    indicatorText: l.indicator.text,
    indicatorKind: l.indicator.kind,
    query,
    description: query ? describeRegistryQuery(query) : null,
    proposed: p ? parseQuery(p) : null,
    canEdit: ctx.user !== null && canManagePlans(ctx.user) && worksIn(ctx.user, l.planJurisdictionId),
  };
}

/** An indicator's binding (anyone who reads its plan). */
export async function getIndicatorBinding(
  db: Kysely<Database>,
  ctx: Ctx,
  indicatorId: string,
): Promise<IndicatorBinding> {
  authorize(ctx, canReadPlans);
  const l = await load(db, ctx, indicatorId);
  const [row] = await bindingRowsOf(db, [indicatorId]);
  return view(ctx, l, row);
}

/** Bind an indicator to a registry query, or unbind it (query null): the admin of the plan's own level; audited. */
export async function setIndicatorBinding(
  db: Kysely<Database>,
  ctx: Ctx,
  indicatorId: string,
  input: IndicatorBindingInput,
): Promise<IndicatorBinding> {
  authorize(ctx, canManagePlans, '只有管理员可以设置指标的数据来源');
  return db.transaction().execute(async (trx) => {
    const l = await load(trx, ctx, indicatorId);
    if (!worksIn(ctx.user, l.planJurisdictionId))
      throw new AppError('FORBIDDEN', '只能设置本级规划指标的数据来源');
    if (input.query && !measuresForKind(l.indicator.kind).includes(input.query.measure))
      throw new AppError(
        'VALIDATION_FAILED',
        '该统计口径与指标类型不符（如年度指标应按当年合计，覆盖率指标应按活动参与人次）',
      );
    const [before] = await bindingRowsOf(trx, [indicatorId]);
    await deleteBindingRow(trx, indicatorId);
    const now = nowIso();
    if (input.query)
      await insertBindingRows(trx, [
        {
          indicator_id: indicatorId,
          query_json: JSON.stringify(input.query),
          created_by: ctx.user.id,
          created_at: before?.created_at ?? now,
          updated_at: now,
        },
      ]);
    await recordAudit(trx, ctx, {
      action: input.query ? 'indicator.bind' : 'indicator.unbind',
      entityType: 'indicator',
      entityId: indicatorId,
      before: before ? { query: parseQuery(before.query_json) } : null,
      after: input.query ? { query: input.query } : null,
    });
    const [row] = await bindingRowsOf(trx, [indicatorId]);
    return view(ctx, l, row);
  });
}

/**
 * The indicators bound to the registries, each with its query in words (their reports show the computed value, no
 * input; the plan page marks them).
 */
export async function boundIndicators(
  db: Kysely<Database>,
  indicatorIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const r of await bindingRowsOf(db, indicatorIds)) {
    const q = parseQuery(r.query_json);
    if (q) out.set(r.indicator_id, describeRegistryQuery(q));
  }
  return out;
}
