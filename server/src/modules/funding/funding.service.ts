import {
  type ExportFormat,
  FUNDING_MISSING_RESIDENTS,
  FUNDING_NOT_RECORDED,
  FUNDING_SOURCES,
  type FundingInput,
  type FundingQuery,
  type FundingSource,
  type FundingStandardInput,
  type FundingSummary,
  type FundingView,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize, type SignedInCtx } from '../../authorize';
import { type Ctx, readsJurisdiction, worksIn } from '../../context';
import type { Database, FundingTable, JurisdictionsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { type ExportFile, renderTable } from '../exchange/table-export';
import { childJurisdictions, findJurisdiction } from '../jurisdictions/jurisdictions.service';
import { jurisdictionResidents } from '../progress/progress-reads.service';
import { roundYuan } from './funding-reads.service';
import { canEditFunding, canReadFunding, canSetFundingStandard } from './funding.policy';
import {
  fundingRowsOf,
  insertFundingRow,
  standardRowsOf,
  updateFundingRow,
  upsertStandardRow,
} from './funding.repository';

/** A jurisdiction the user reads (its own level or below), or NOT_FOUND (a forged id says nothing). */
async function visibleJurisdiction(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  id: string,
): Promise<JurisdictionsTable> {
  const j = await findJurisdiction(db, id);
  if (!j || !readsJurisdiction(ctx.user, j.path)) throw new AppError('NOT_FOUND', '行政区划不存在');
  return j;
}

const ancestorsOf = (j: JurisdictionsTable) => j.path.split('/').filter(Boolean);

/** The standard in force for a level in a year: its own, else the nearest ancestor's. */
function standardFor(j: JurisdictionsTable, year: number, standards: Map<string, number>): number | null {
  const chain = ancestorsOf(j).reverse();
  for (const id of chain) {
    const s = standards.get(`${id}|${year}`);
    if (s !== undefined) return s;
  }
  return null;
}

function summarise(
  j: JurisdictionsTable,
  year: number,
  rows: FundingTable[],
  residents: Map<string, { residents: number; year: number }>,
  standards: Map<string, number>,
): FundingSummary {
  const own = rows.filter((r) => r.jurisdiction_id === j.id && r.year === year);
  const budgeted = roundYuan(own.reduce((s, r) => s + Number(r.budgeted), 0));
  const spentRows = own.filter((r) => r.spent !== null);
  const pop = residents.get(`${j.id}|${year}`) ?? null;
  const perResident = pop && own.length > 0 ? roundYuan(budgeted / pop.residents) : null;
  const standard = standardFor(j, year, standards);
  return {
    jurisdictionId: j.id,
    name: j.name,
    budgeted,
    spent: spentRows.length > 0 ? roundYuan(spentRows.reduce((s, r) => s + Number(r.spent), 0)) : null,
    residents: pop?.residents ?? null,
    residentsYear: pop?.year ?? null,
    perResident,
    standard,
    meetsStandard: perResident === null || standard === null ? null : perResident >= standard,
    missing: !pop ? FUNDING_MISSING_RESIDENTS : own.length === 0 ? FUNDING_NOT_RECORDED : null,
  };
}

async function view(db: Kysely<Database>, ctx: SignedInCtx, j: JurisdictionsTable, year: number) {
  const children = await childJurisdictions(db, j.id);
  const all = [j, ...children];
  const ids = all.map((x) => x.id);
  const [rows, standardRows, residents] = await Promise.all([
    fundingRowsOf(db, ids, [year]),
    standardRowsOf(db, [...new Set([...ancestorsOf(j), ...ids])], [year]),
    jurisdictionResidents(db, all, [year]),
  ]);
  const standards = new Map(
    standardRows.map((s) => [`${s.jurisdiction_id}|${s.year}`, Number(s.per_resident)]),
  );
  const order = (s: string) => FUNDING_SOURCES.indexOf(s as FundingSource);
  const out: FundingView = {
    jurisdictionId: j.id,
    jurisdictionName: j.name,
    year,
    rows: rows
      .filter((r) => r.jurisdiction_id === j.id)
      .sort((a, b) => order(a.source) - order(b.source))
      .map((r) => ({
        source: r.source as FundingSource,
        budgeted: Number(r.budgeted),
        spent: r.spent === null ? null : Number(r.spent),
        note: r.note,
        version: r.version,
        updatedAt: r.updated_at,
      })),
    own: summarise(j, year, rows, residents, standards),
    children: children.map((c) => summarise(c, year, rows, residents, standards)),
    ownStandard: standards.get(`${j.id}|${year}`) ?? null,
    canEdit: ctx.user.role === 'admin' && worksIn(ctx.user, j.id),
    canSetStandard: ctx.user.role === 'admin',
  };
  return out;
}

/** 科普经费 of a level and year: its rows by source, its total per resident, and each child's against the standard. */
export async function getFunding(db: Kysely<Database>, ctx: Ctx, q: FundingQuery): Promise<FundingView> {
  authorize(ctx, canReadFunding);
  const j = await visibleJurisdiction(db, ctx, q.jurisdictionId);
  return view(db, ctx, j, q.year);
}

/**
 * Record a level's 科普经费 of a year: each source given is inserted or updated (its version must be the stored one,
 * else CONFLICT and nothing is written); sources not given stay as they are. The level's own admin only.
 */
export async function saveFunding(db: Kysely<Database>, ctx: Ctx, input: FundingInput): Promise<FundingView> {
  authorize(ctx, canEditFunding, '只有管理员可以填报科普经费');
  return db.transaction().execute(async (trx) => {
    const j = await visibleJurisdiction(trx, ctx, input.jurisdictionId);
    if (!worksIn(ctx.user, j.id)) throw new AppError('FORBIDDEN', '只能填报本级的科普经费');
    const before = await fundingRowsOf(trx, [j.id], [input.year]);
    const bySource = new Map(before.map((r) => [r.source, r]));
    const now = nowIso();
    for (const r of input.rows) {
      const was = bySource.get(r.source);
      if (was) {
        if (r.version !== was.version)
          throw new AppError('CONFLICT', `“${r.source}”已被他人修改，请刷新后重试`);
        const ok = await updateFundingRow(trx, was.id, was.version, {
          budgeted: r.budgeted,
          spent: r.spent,
          note: r.note || null,
          updated_by: ctx.user.id,
          updated_at: now,
        });
        if (!ok) throw new AppError('CONFLICT', `“${r.source}”已被他人修改，请刷新后重试`);
      } else {
        await insertFundingRow(trx, {
          id: newId(),
          jurisdiction_id: j.id,
          year: input.year,
          source: r.source,
          budgeted: r.budgeted,
          spent: r.spent,
          note: r.note || null,
          version: 1,
          updated_by: ctx.user.id,
          created_at: now,
          updated_at: now,
          demo_batch_id: null,
        });
      }
    }
    const amounts = (rows: { source: string; budgeted: number; spent: number | null }[]) =>
      Object.fromEntries(rows.map((r) => [r.source, { 预算: Number(r.budgeted), 支出: r.spent }]));
    await recordAudit(trx, ctx, {
      action: 'funding.save',
      entityType: 'jurisdiction',
      entityId: j.id,
      before: { 年度: input.year, ...amounts(before) },
      after: { 年度: input.year, ...amounts(input.rows) },
    });
    return view(trx, ctx, j, input.year);
  });
}

/** Set the per-resident standard (元/人) of a level and year: the admin of that level or of a level above it. */
export async function setFundingStandard(
  db: Kysely<Database>,
  ctx: Ctx,
  input: FundingStandardInput,
): Promise<FundingView> {
  authorize(ctx, canSetFundingStandard, '只有管理员可以设置人均科普经费标准');
  return db.transaction().execute(async (trx) => {
    const j = await visibleJurisdiction(trx, ctx, input.jurisdictionId);
    const [was] = await standardRowsOf(trx, [j.id], [input.year]);
    await upsertStandardRow(trx, {
      jurisdiction_id: j.id,
      year: input.year,
      per_resident: input.perResident,
      updated_by: ctx.user.id,
      updated_at: nowIso(),
      demo_batch_id: null,
    });
    await recordAudit(trx, ctx, {
      action: 'funding.standard.set',
      entityType: 'jurisdiction',
      entityId: j.id,
      before: was ? { 年度: input.year, 标准: Number(was.per_resident) } : null,
      after: { 年度: input.year, 标准: input.perResident },
    });
    return view(trx, ctx, j, input.year);
  });
}

/** The summary (the level and each child) as xlsx or csv. */
export async function exportFunding(
  db: Kysely<Database>,
  ctx: Ctx,
  q: FundingQuery,
  format: ExportFormat,
): Promise<ExportFile> {
  const v = await getFunding(db, ctx, q);
  const rows = [v.own, ...v.children];
  return renderTable(
    {
      title: `${v.jurisdictionName}${v.year}年科普经费`,
      columns: [
        { header: '行政区划', value: (r) => r.name, width: 18 },
        { header: '预算（元）', value: (r) => r.budgeted },
        { header: '支出（元）', value: (r) => r.spent },
        { header: '常住人口（人）', value: (r) => r.residents },
        { header: '人口年份', value: (r) => r.residentsYear },
        { header: '人均经费（元/人）', value: (r) => r.perResident ?? r.missing },
        { header: '标准（元/人）', value: (r) => r.standard },
        {
          header: '是否达标',
          value: (r) => (r.meetsStandard === null ? '—' : r.meetsStandard ? '达标' : '未达标'),
        },
      ],
      rows,
    },
    format,
  );
}
