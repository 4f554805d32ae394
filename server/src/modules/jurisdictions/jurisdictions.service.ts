import {
  JURISDICTION_LEVEL_LABELS,
  type Jurisdiction,
  type JurisdictionCreate,
  type JurisdictionLevel,
  type JurisdictionBoundsUpdate,
  type JurisdictionList,
  type JurisdictionUpdate,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize } from '../../authorize';
import type { Ctx } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type { Database, JurisdictionsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { canAddChildJurisdiction, canManageJurisdiction, canReadJurisdictions } from './jurisdictions.policy';
import {
  childRows,
  findJurisdictionRow,
  jurisdictionRowOfGovernmentUnit,
  insertJurisdictionRow,
  jurisdictionByCode,
  type JurisdictionRow,
  pathOf,
  rootJurisdictionRow,
  rowsByIds,
  setJurisdictionBox,
  subtreeRows,
  unlinkedGovernmentUnits,
  updateJurisdictionRow,
} from './jurisdictions.repository';

/** What the audit log shows of a jurisdiction (no paths, no internal ids). */
function auditView(row: JurisdictionsTable) {
  return {
    name: row.name,
    shortName: row.short_name,
    code: row.code,
    level: JURISDICTION_LEVEL_LABELS[row.level as JurisdictionLevel] ?? row.level,
    sortOrder: row.sort_order,
  };
}

const depthOf = (path: string) => path.split('/').filter(Boolean).length - 1;

/** Depths are shown from the reader's own jurisdiction (0), so a county admin's county is the top of its tree. */
const readerDepth = (ctx: Ctx) => (ctx.user?.jurisdictionPath ? depthOf(ctx.user.jurisdictionPath) : 0);

function toJurisdiction(row: JurisdictionRow, rootDepth: number): Jurisdiction {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    shortName: row.short_name,
    level: row.level as JurisdictionLevel,
    parentId: row.parent_id,
    depth: depthOf(row.path) - rootDepth,
    governmentUnitId: row.government_unit_id,
    governmentUnitName: row.government_unit_name,
    unitCount: row.unit_count,
    userCount: row.user_count,
    sortOrder: row.sort_order,
    version: row.version,
    bounds:
      row.min_lng != null && row.max_lng != null && row.min_lat != null && row.max_lat != null
        ? { minLng: row.min_lng, maxLng: row.max_lng, minLat: row.min_lat, maxLat: row.max_lat }
        : null,
  };
}

/** The root of the installation (the top level it serves); null on a database with none yet. */
export async function rootJurisdictionId(db: Kysely<Database>): Promise<string | null> {
  return (await rootJurisdictionRow(db))?.id ?? null;
}

/** The path of a jurisdiction ('/<root id>/…/<own id>/'); NOT_FOUND when there is none such. */
export async function requireJurisdictionPath(db: Kysely<Database>, id: string): Promise<string> {
  const path = await pathOf(db, id);
  if (path === null) throw new AppError('NOT_FOUND', '行政区划不存在');
  return path;
}

/** The jurisdiction of a GB/T 2260 code (丰县: 320321), with its parent and government unit; null when none. */
export async function jurisdictionOfCode(
  db: Kysely<Database>,
  code: string,
): Promise<{ id: string; name: string; parentId: string | null; governmentUnitId: string | null } | null> {
  const r = await jurisdictionByCode(db, code);
  return r ? { id: r.id, name: r.name, parentId: r.parent_id, governmentUnitId: r.government_unit_id } : null;
}

/** The parent of a jurisdiction (null: the root, or none such). */
export async function parentJurisdictionId(db: Kysely<Database>, id: string): Promise<string | null> {
  return (await findJurisdictionRow(db, id))?.parent_id ?? null;
}

/** The children of a jurisdiction (counties and zones of a city; cities of a province), in their order. */
export function childJurisdictions(db: Kysely<Database>, id: string): Promise<JurisdictionsTable[]> {
  return childRows(db, id);
}

/** The lower level a unit stands for in its parent's plan (丰县 for 丰县人民政府); undefined: none. */
export function jurisdictionOfGovernmentUnit(
  db: Kysely<Database>,
  unitId: string,
): Promise<JurisdictionsTable | undefined> {
  return jurisdictionRowOfGovernmentUnit(db, unitId);
}

/** A jurisdiction by id (undefined: none such). */
export function findJurisdiction(db: Kysely<Database>, id: string): Promise<JurisdictionsTable | undefined> {
  return findJurisdictionRow(db, id);
}

/** The jurisdictions a user reads: its own and everything below it, parents before children. */
export async function listJurisdictions(db: Kysely<Database>, ctx: Ctx): Promise<JurisdictionList> {
  authorize(ctx, canReadJurisdictions);
  const root = ctx.user.jurisdictionPath ?? (await rootJurisdictionRow(db))?.path ?? null;
  if (root === null) return { items: [] };
  const rows = await subtreeRows(db, root);
  // Parents before children, siblings by their order: a depth-first walk of the tree.
  const childrenOf = new Map<string | null, JurisdictionRow[]>();
  for (const r of rows) childrenOf.set(r.parent_id, [...(childrenOf.get(r.parent_id) ?? []), r]);
  const top = rows.find((r) => r.path === root);
  const ordered: JurisdictionRow[] = [];
  const walk = (r: JurisdictionRow) => {
    ordered.push(r);
    for (const c of childrenOf.get(r.id) ?? []) walk(c);
  };
  if (top) walk(top);
  const rootDepth = depthOf(root);
  return { items: ordered.map((r) => toJurisdiction(r, rootDepth)) };
}

/** Insert a jurisdiction inside an open transaction (also the seed's). */
export async function insertJurisdiction(
  trx: Kysely<Database>,
  ctx: Ctx,
  input: Omit<JurisdictionCreate, 'parentId'> & { parentId: string | null },
): Promise<string> {
  const id = newId();
  const parentPath = input.parentId === null ? '/' : await requireJurisdictionPath(trx, input.parentId);
  const now = nowIso();
  const row: JurisdictionsTable = {
    id,
    code: input.code,
    name: input.name,
    short_name: input.shortName,
    level: input.level,
    parent_id: input.parentId,
    path: `${parentPath}${id}/`,
    government_unit_id: input.governmentUnitId,
    sort_order: input.sortOrder,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await insertJurisdictionRow(trx, row);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('DUPLICATE', `行政区划代码 ${input.code ?? ''} 已被使用`, { field: 'code' });
    }
    throw err;
  }
  await recordAudit(trx, ctx, {
    action: 'jurisdiction.create',
    entityType: 'jurisdiction',
    entityId: id,
    after: auditView(row),
  });
  return id;
}

const CHILD_LEVELS: Record<JurisdictionLevel, JurisdictionLevel[]> = {
  province: ['city'],
  city: ['county', 'zone'],
  county: [],
  zone: [],
};

export async function createJurisdiction(
  db: Kysely<Database>,
  ctx: Ctx,
  input: JurisdictionCreate,
): Promise<Jurisdiction> {
  return db.transaction().execute(async (trx) => {
    const parent = await findJurisdictionRow(trx, input.parentId);
    if (!parent) throw new AppError('NOT_FOUND', '上级行政区划不存在');
    authorize(ctx, (u) => canAddChildJurisdiction(u, parent.id), '只能在本级行政区划下增加下级');
    if (!CHILD_LEVELS[parent.level as JurisdictionLevel].includes(input.level)) {
      throw new AppError('BAD_REQUEST', '下级的层级不对：省下设市，市下设县（市、区）和功能区');
    }
    const id = await insertJurisdiction(trx, ctx, input);
    const row = await findJurisdictionRow(trx, id);
    return toJurisdiction(row!, readerDepth(ctx));
  });
}

export async function updateJurisdiction(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: JurisdictionUpdate,
): Promise<Jurisdiction> {
  return db.transaction().execute(async (trx) => {
    const before = await findJurisdictionRow(trx, id);
    if (!before) throw new AppError('NOT_FOUND', '行政区划不存在');
    authorize(
      ctx,
      (u) => canManageJurisdiction(u, { id: before.id, parentId: before.parent_id }),
      '只能修改本级行政区划及其直接下级',
    );
    const changes: Partial<JurisdictionsTable> = {
      ...(input.code !== undefined ? { code: input.code } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.shortName !== undefined ? { short_name: input.shortName } : {}),
      ...(input.governmentUnitId !== undefined ? { government_unit_id: input.governmentUnitId } : {}),
      ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      updated_at: nowIso(),
    };
    let ok: boolean;
    try {
      ok = await updateJurisdictionRow(trx, id, input.version, changes);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('DUPLICATE', '行政区划代码已被使用', { field: 'code' });
      throw err;
    }
    if (!ok) throw new AppError('CONFLICT', undefined, { currentVersion: before.version });
    const after = await findJurisdictionRow(trx, id);
    await recordAudit(trx, ctx, {
      action: 'jurisdiction.update',
      entityType: 'jurisdiction',
      entityId: id,
      before: auditView(before),
      after: after ? auditView(after) : null,
    });
    return toJurisdiction(after!, readerDepth(ctx));
  });
}

/**
 * Set (or clear: all null) a jurisdiction's bounding box — the admin of the jurisdiction or of its parent; audited.
 * Registry records' coordinates must fall inside the box of their jurisdiction or of its nearest ancestor with one.
 */
export async function updateJurisdictionBounds(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: JurisdictionBoundsUpdate,
): Promise<Jurisdiction> {
  return db.transaction().execute(async (trx) => {
    const before = await findJurisdictionRow(trx, id);
    if (!before) throw new AppError('NOT_FOUND', '行政区划不存在');
    authorize(
      ctx,
      (u) => canManageJurisdiction(u, { id: before.id, parentId: before.parent_id }),
      '只能修改本级行政区划及其直接下级的范围',
    );
    const b = input.bounds;
    const ok = await updateJurisdictionRow(trx, id, input.version, {
      min_lng: b.minLng,
      max_lng: b.maxLng,
      min_lat: b.minLat,
      max_lat: b.maxLat,
      updated_at: nowIso(),
    });
    if (!ok) throw new AppError('CONFLICT', undefined, { currentVersion: before.version });
    const after = await findJurisdictionRow(trx, id);
    const box = (r: JurisdictionsTable) =>
      r.min_lng == null
        ? '（沿用上级范围）'
        : `东经 ${r.min_lng}～${r.max_lng}，北纬 ${r.min_lat}～${r.max_lat}`;
    await recordAudit(trx, ctx, {
      action: 'jurisdiction.bounds',
      entityType: 'jurisdiction',
      entityId: id,
      before: { name: before.name, bounds: box(before) },
      after: { name: before.name, bounds: after ? box(after) : null },
    });
    return toJurisdiction(after!, readerDepth(ctx));
  });
}

/**
 * The bounding box that applies to a jurisdiction: its own, else its nearest ancestor's (null: none anywhere), with
 * the name of the jurisdiction whose box it is.
 */
export async function effectiveBounds(
  db: Kysely<Database>,
  id: string,
): Promise<{ name: string; minLng: number; maxLng: number; minLat: number; maxLat: number } | null> {
  const path = await pathOf(db, id);
  if (path === null) return null;
  const chain = path.split('/').filter(Boolean).reverse();
  const rows = await rowsByIds(db, chain);
  for (const jid of chain) {
    const r = rows.find((x) => x.id === jid);
    if (r && r.min_lng != null && r.max_lng != null && r.min_lat != null && r.max_lat != null)
      return { name: r.name, minLng: r.min_lng, maxLng: r.max_lng, minLat: r.min_lat, maxLat: r.max_lat };
  }
  return null;
}

/**
 * A new database's root: the city of the sample data (徐州市 320300); the admin renames it when kesu serves another
 * city. Returns the root's id (the existing one when there is already a root).
 */
export async function seedRootJurisdiction(trx: Kysely<Database>, ctx: Ctx): Promise<string> {
  const existing = await rootJurisdictionRow(trx);
  if (existing) return existing.id;
  const id = await insertJurisdiction(trx, ctx, {
    parentId: null,
    code: '320300',
    name: '徐州市',
    shortName: '徐州市',
    level: 'city',
    governmentUnitId: null,
    sortOrder: 0,
  });
  // The same box migration 0170 gives an existing 徐州市 (东经116°22′～118°40′、北纬33°43′～34°58′).
  await setJurisdictionBox(trx, id, XUZHOU_BOUNDS);
  return id;
}

/** 徐州市's extent (徐州市人民政府网《徐州概况·自然地理》), as migration 0170 sets it. */
const XUZHOU_BOUNDS = { min_lng: 116.366, max_lng: 118.667, min_lat: 33.716, max_lat: 34.967 };

/**
 * Every county and function zone unit of the parent's registry that no jurisdiction stands for yet becomes a child
 * jurisdiction (丰县人民政府 → 丰县, code 320321), linked to that unit. Returns how many were added.
 */
export async function seedChildJurisdictions(
  trx: Kysely<Database>,
  ctx: Ctx,
  parentId: string,
): Promise<number> {
  const units = await unlinkedGovernmentUnits(trx);
  for (const u of units) {
    await insertJurisdiction(trx, ctx, {
      parentId,
      code: u.region_code,
      name: u.short_name,
      shortName: u.short_name,
      level: u.kind === 'county' ? 'county' : 'zone',
      governmentUnitId: u.id,
      sortOrder: u.sort_order,
    });
  }
  return units.length;
}
