import { authorize, type SignedInCtx } from '../../authorize';
import {
  normalizeUnitName,
  type Page,
  type Unit,
  type UnitCreate,
  type UnitListQuery,
  type UnitUpdate,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type Ctx, readsJurisdiction, worksIn } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type { Database, UnitsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { requireJurisdictionPath, rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import { canManageUnits, canReadUnits } from './units.policy';
import {
  allUnitRows,
  findUnitRow,
  insertUnitRow,
  listUnitRows,
  moveUnitReferences,
  reportsClashingOnMerge,
  unitJurisdictionPath,
  updateUnitRow,
} from './units.repository';

export function toUnit(row: UnitsTable): Unit {
  return {
    id: row.id,
    kind: row.kind as Unit['kind'],
    name: row.name,
    shortName: row.short_name,
    aliases: JSON.parse(row.aliases) as string[],
    regionCode: row.region_code,
    jurisdictionId: row.jurisdiction_id,
    isActive: row.is_active === 1,
    sortOrder: row.sort_order,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Every name a unit answers to, normalised. */
function namesOf(u: Pick<Unit, 'name' | 'shortName' | 'aliases'>): string[] {
  return [...new Set([u.name, u.shortName, ...u.aliases].map(normalizeUnitName).filter(Boolean))];
}

/** Refuse a name, short name or alias that another (non-merged) unit already answers to. */
async function assertNamesFree(
  db: Kysely<Database>,
  candidate: Pick<Unit, 'name' | 'shortName' | 'aliases'>,
  exceptIds: string[],
): Promise<void> {
  const wanted = new Set(namesOf(candidate));
  for (const row of await allUnitRows(db)) {
    if (exceptIds.includes(row.id) || row.merged_into_id) continue;
    const clash = namesOf(toUnit(row)).find((n) => wanted.has(n));
    if (clash) {
      throw new AppError('DUPLICATE', `名称“${clash}”已被单位“${row.name}”使用`, {
        field: 'name',
        unitId: row.id,
      });
    }
  }
}

function requireManage(ctx: Ctx): asserts ctx is SignedInCtx {
  authorize(ctx, canManageUnits);
}

async function requireUnit(db: Kysely<Database>, id: string): Promise<UnitsTable> {
  const row = await findUnitRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '单位不存在');
  return row;
}

/** A unit the user reads (its jurisdiction subtree); another jurisdiction's unit is not found. */
async function requireReadableUnit(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<UnitsTable> {
  const row = await requireUnit(db, id);
  if (!readsJurisdiction(ctx.user, await unitJurisdictionPath(db, id))) {
    throw new AppError('NOT_FOUND', '单位不存在');
  }
  return row;
}

/** A unit the admin may change: one of the jurisdiction it works in (a city admin does not edit a county's units). */
async function requireOwnUnit(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<UnitsTable> {
  const row = await requireReadableUnit(db, ctx, id);
  if (!worksIn(ctx.user, row.jurisdiction_id)) {
    throw new AppError('FORBIDDEN', '只能管理本级的单位：下级的单位由下级管理员管理');
  }
  return row;
}

export async function listUnits(db: Kysely<Database>, ctx: Ctx, q: UnitListQuery): Promise<Page<Unit>> {
  authorize(ctx, canReadUnits);
  const { rows, total } = await listUnitRows(db, q, ctx.user.jurisdictionPath);
  return { items: rows.map(toUnit), total, page: q.page, pageSize: q.pageSize };
}

export async function getUnit(db: Kysely<Database>, ctx: Ctx, id: string): Promise<Unit> {
  authorize(ctx, canReadUnits);
  return toUnit(await requireReadableUnit(db, ctx, id));
}

/** Insert a unit inside an open transaction (also used by the seed). */
export async function insertUnit(trx: Kysely<Database>, ctx: Ctx, input: UnitCreate): Promise<Unit> {
  const aliases = [...new Set(input.aliases.map((a) => a.trim()).filter(Boolean))];
  await assertNamesFree(trx, { ...input, aliases }, []);
  const jurisdictionId = input.jurisdictionId ?? ctx.user?.jurisdictionId ?? (await rootJurisdictionId(trx));
  if (jurisdictionId !== null) await requireJurisdictionPath(trx, jurisdictionId);
  const now = nowIso();
  const row: UnitsTable = {
    id: newId(),
    jurisdiction_id: jurisdictionId,
    kind: input.kind,
    name: input.name,
    short_name: input.shortName,
    aliases: JSON.stringify(aliases),
    region_code: input.regionCode,
    is_active: 1,
    sort_order: input.sortOrder,
    merged_into_id: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await insertUnitRow(trx, row);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('DUPLICATE', `单位“${input.name}”已存在`, { field: 'name' });
    throw err;
  }
  const unit = toUnit(row);
  await recordAudit(trx, ctx, { action: 'unit.create', entityType: 'unit', entityId: unit.id, after: unit });
  return unit;
}

export async function createUnit(db: Kysely<Database>, ctx: Ctx, input: UnitCreate): Promise<Unit> {
  requireManage(ctx);
  if (input.jurisdictionId && !worksIn(ctx.user, input.jurisdictionId)) {
    throw new AppError('FORBIDDEN', '只能在本级增加单位：下级的单位由下级管理员增加');
  }
  return db.transaction().execute((trx) => insertUnit(trx, ctx, input));
}

export async function updateUnit(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: UnitUpdate,
): Promise<Unit> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    const row = await requireOwnUnit(trx, ctx, id);
    if (row.merged_into_id) throw new AppError('INVALID_STATE', '该单位已被合并，不能再修改');
    const before = toUnit(row);
    const next: Unit = {
      ...before,
      kind: input.kind ?? before.kind,
      name: input.name ?? before.name,
      shortName: input.shortName ?? before.shortName,
      aliases: input.aliases
        ? [...new Set(input.aliases.map((a) => a.trim()).filter(Boolean))]
        : before.aliases,
      regionCode: input.regionCode !== undefined ? input.regionCode : before.regionCode,
      sortOrder: input.sortOrder ?? before.sortOrder,
      isActive: input.isActive ?? before.isActive,
    };
    await assertNamesFree(trx, next, [id]);
    const now = nowIso();
    let ok: boolean;
    try {
      ok = await updateUnitRow(trx, id, input.version, {
        kind: next.kind,
        name: next.name,
        short_name: next.shortName,
        aliases: JSON.stringify(next.aliases),
        region_code: next.regionCode,
        sort_order: next.sortOrder,
        is_active: next.isActive ? 1 : 0,
        updated_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('DUPLICATE', `单位“${next.name}”已存在`, { field: 'name' });
      throw err;
    }
    if (!ok) throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    const after = toUnit(await requireUnit(trx, id));
    await recordAudit(trx, ctx, { action: 'unit.update', entityType: 'unit', entityId: id, before, after });
    return after;
  });
}

export async function deactivateUnit(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  version: number,
): Promise<Unit> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    const row = await requireOwnUnit(trx, ctx, id);
    const before = toUnit(row);
    if (!before.isActive) throw new AppError('INVALID_STATE', '该单位已停用');
    if (!(await updateUnitRow(trx, id, version, { is_active: 0, updated_at: nowIso() }))) {
      throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    }
    const after = toUnit(await requireUnit(trx, id));
    await recordAudit(trx, ctx, {
      action: 'unit.deactivate',
      entityType: 'unit',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Merge `sourceId` into `targetId`: every reference to the source moves to the target, the source's names become
 * aliases of the target, and the source is deactivated and marked merged (kept, so history still reads).
 */
export async function mergeUnits(
  db: Kysely<Database>,
  ctx: Ctx,
  targetId: string,
  sourceId: string,
): Promise<Unit> {
  requireManage(ctx);
  if (targetId === sourceId) throw new AppError('BAD_REQUEST', '不能把单位合并到它自己');
  return db.transaction().execute(async (trx) => {
    const target = await requireOwnUnit(trx, ctx, targetId);
    const source = await requireOwnUnit(trx, ctx, sourceId);
    if (target.merged_into_id || source.merged_into_id) {
      throw new AppError('INVALID_STATE', '已被合并的单位不能再参与合并');
    }
    const targetBefore = toUnit(target);
    const sourceBefore = toUnit(source);
    const targetNames = new Set(namesOf(targetBefore));
    const newAliases = [...targetBefore.aliases];
    for (const n of [sourceBefore.name, sourceBefore.shortName, ...sourceBefore.aliases]) {
      if (!targetNames.has(normalizeUnitName(n)) && !newAliases.includes(n)) newAliases.push(n);
    }
    // Where both units reported on one task in one cycle, the source's report cannot join the target's (one report per
    // unit, task and cycle): it stays with the source, which is kept for history, and the merge says which.
    const keptWithSource = await reportsClashingOnMerge(trx, sourceId, targetId);
    const moved = await moveUnitReferences(trx, sourceId, targetId);
    const now = nowIso();
    // The source's full name stays unique in the table, so rename it out of the way before the target takes it.
    const sourceDone = await updateUnitRow(trx, sourceId, source.version, {
      is_active: 0,
      merged_into_id: targetId,
      aliases: '[]',
      updated_at: now,
    });
    const targetDone = await updateUnitRow(trx, targetId, target.version, {
      aliases: JSON.stringify(newAliases),
      updated_at: now,
    });
    // Changed by someone else since read: the whole merge is rolled back.
    if (!sourceDone || !targetDone) throw new AppError('CONFLICT');
    const after = toUnit(await requireUnit(trx, targetId));
    await recordAudit(trx, ctx, {
      action: 'unit.merge',
      entityType: 'unit',
      entityId: targetId,
      before: { target: targetBefore, source: sourceBefore },
      after: { target: after, sourceId, moved, keptWithSource },
    });
    return after;
  });
}

/** The resolve endpoint: any signed-in user may ask which unit a written name refers to. */
export function resolveUnitNameFor(
  db: Kysely<Database>,
  ctx: Ctx,
  name: string,
): Promise<{ unit: Unit | null; normalized: string }> {
  authorize(ctx, canReadUnits);
  return resolveUnitName(db, name);
}

/** Find the unit a written name refers to (full name, short name or alias; "等" and spacing ignored). */
export async function resolveUnitName(
  db: Kysely<Database>,
  name: string,
): Promise<{ unit: Unit | null; normalized: string }> {
  const normalized = normalizeUnitName(name);
  for (const row of await allUnitRows(db)) {
    const unit = toUnit(row);
    if (namesOf(unit).includes(normalized)) {
      if (row.merged_into_id) {
        const target = await findUnitRow(db, row.merged_into_id);
        return { unit: target ? toUnit(target) : null, normalized };
      }
      return { unit, normalized };
    }
  }
  return { unit: null, normalized };
}

/**
 * Add a written name as an alias of a unit (plan import: the admin mapped it), so the next import resolves it by
 * itself; nothing when the unit already answers to it. Version-guarded, audited, in the caller's transaction.
 */
export async function addUnitAlias(
  trx: Kysely<Database>,
  ctx: Ctx,
  row: UnitsTable,
  written: string,
): Promise<void> {
  const before = toUnit(row);
  const key = normalizeUnitName(written);
  if ([before.name, before.shortName, ...before.aliases].some((n) => normalizeUnitName(n) === key)) return;
  const aliases = [...before.aliases, written.trim()];
  const ok = await updateUnitRow(trx, row.id, row.version, {
    aliases: JSON.stringify(aliases),
    updated_at: nowIso(),
  });
  if (!ok) throw new AppError('CONFLICT', `单位“${before.shortName}”刚被他人修改，请重新确认导入`);
  await recordAudit(trx, ctx, {
    action: 'unit.update',
    entityType: 'unit',
    entityId: row.id,
    before,
    after: { ...before, aliases, version: row.version + 1 },
  });
}
