import {
  checkRegistryInput,
  type Page,
  type PublicVenueList,
  type RegistryDetail,
  type RegistryHistory,
  type RegistryIssue,
  type RegistryListQuery,
  type RegistryPage,
  type RegistryRecord,
  type RegistryRecordInput,
  type RegistryRecordUpdate,
  type RegistryWithdraw,
  REGISTRY_DEFINITIONS,
  RESOURCE_KIND_LABELS,
  type ResourceKind,
  recordStatusOn,
  type VolunteerServiceInput,
  type VolunteerServiceList,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize, type SignedInCtx } from '../../authorize';
import { type Ctx, readsJurisdiction } from '../../context';
import type { Database, ResourcesTable } from '../../db/schema';
import { FingerprintCache } from '../../db/read-cache';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { dateIn, formatDateTimeIn } from '../../time';
import { recordAudit, recordHistory } from '../audit/audit.service';
import {
  effectiveBounds,
  findJurisdiction,
  requireJurisdictionPath,
  rootJurisdictionId,
} from '../jurisdictions/jurisdictions.service';
import { findUnitRow, unitJurisdictionPath } from '../units/unit-reads.service';
import { canEditRecord, canReadRegistries, canWriteRegistries } from './registries.policy';
import {
  activityPath,
  deleteResourceRow,
  findResourceRow,
  insertResourceRow,
  insertServiceRow,
  listResourceRows,
  resourcesFingerprint,
  publicVenueRows,
  type ResourceFilters,
  type ResourceRow,
  referencesTo,
  serviceRowsOf,
  updateResourceRow,
} from './registries.repository';

const ENTITY = 'resource';

function parseDetails(json: string): Record<string, string> {
  try {
    const v = JSON.parse(json) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      );
  } catch {
    // A damaged details column shows as no details rather than failing the list.
  }
  return {};
}

export function toRegistryRecord(
  row: ResourceRow,
  asOf: string,
  user: SignedInCtx['user'] | null,
): RegistryRecord {
  return {
    id: row.id,
    kind: row.kind as ResourceKind,
    name: row.name,
    jurisdictionId: row.jurisdiction_id,
    jurisdictionName: row.jurisdiction_name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    level: row.level,
    category: row.category,
    theme: row.theme,
    recognisedOn: row.recognised_on,
    expiresOn: row.expires_on,
    withdrawnOn: row.withdrawn_on,
    withdrawnReason: row.withdrawn_reason,
    year: row.year,
    quantity: row.quantity,
    hours: row.hours === null ? null : Number(row.hours),
    address: row.address,
    longitude: row.longitude === null ? null : Number(row.longitude),
    latitude: row.latitude === null ? null : Number(row.latitude),
    openToPublic: row.open_to_public === null ? null : row.open_to_public === 1,
    openingHours: row.opening_hours,
    parentId: row.parent_id,
    parentName: row.parent_name,
    details: parseDetails(row.details_json),
    status: recordStatusOn(
      { recognisedOn: row.recognised_on, expiresOn: row.expires_on, withdrawnOn: row.withdrawn_on },
      asOf,
    ),
    canEdit: canEditRecord(user, {
      jurisdictionId: row.jurisdiction_id,
      unitId: row.unit_id,
      unitJurisdictionId: row.unit_jurisdiction_id,
    }),
    isDemo: row.demo_batch_id !== null,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** The path of the subtree a user reads (its own jurisdiction's, or the root's). */
async function ownScope(db: Kysely<Database>, ctx: SignedInCtx): Promise<string> {
  if (ctx.user.jurisdictionPath) return ctx.user.jurisdictionPath;
  const root = await rootJurisdictionId(db);
  if (!root) throw new AppError('NOT_FOUND', '尚未设置行政区划');
  return requireJurisdictionPath(db, root);
}

/** A jurisdiction the user reads, by id: its path; another jurisdiction's is not found. */
async function readableJurisdictionPath(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<string> {
  const path = await requireJurisdictionPath(db, id);
  if (!readsJurisdiction(ctx.user, path)) throw new AppError('NOT_FOUND', '行政区划不存在');
  return path;
}

/** Today in the configured time zone (the default "as of" of statuses). */
export function todayIn(timeZone: string): string {
  return dateIn(timeZone);
}

/** The filters of a list query, scoped to what the user reads. */
export async function registryFilters(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  kind: ResourceKind,
  q: Omit<RegistryListQuery, 'page' | 'pageSize'>,
  timeZone: string,
): Promise<ResourceFilters> {
  const withinPath = q.jurisdictionId
    ? await readableJurisdictionPath(db, ctx, q.jurisdictionId)
    : await ownScope(db, ctx);
  return {
    kind,
    withinPath,
    level: q.level,
    category: q.category,
    status: q.status,
    asOf: q.asOf ?? todayIn(timeZone),
    recognisedFrom: q.recognisedFrom,
    year: q.year,
    unitId: q.unitId,
    parentId: q.parentId,
    q: q.q || undefined,
  };
}

/** A page of a registry: the user's jurisdiction subtree (or a jurisdiction of it), filtered, status as of a date. */
/**
 * Pages of a registry kept in memory while no record was added and no audited write happened (every change to a
 * record, a unit's or a jurisdiction's name is audited); the filters hold the reader's scope, so a page is shared
 * only by readers of the same subtree. The user's own permissions (canEdit) are applied per request.
 */
const listCache = new FingerprintCache<Awaited<ReturnType<typeof listResourceRows>>>(resourcesFingerprint);

export async function listRegistry(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  q: RegistryListQuery,
  timeZone: string,
): Promise<RegistryPage> {
  authorize(ctx, canReadRegistries);
  const f = await registryFilters(db, ctx, kind, q, timeZone);
  const { rows, total } = await listCache.get(db, JSON.stringify([f, q.page, q.pageSize]), () =>
    listResourceRows(db, f, q.page, q.pageSize),
  );
  return {
    items: rows.map((r) => toRegistryRecord(r, f.asOf, ctx.user)),
    total,
    page: q.page,
    pageSize: q.pageSize,
    asOf: f.asOf,
  };
}

/** A record the user reads, of the kind in the address; anything else is not found. */
async function requireReadable(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  kind: ResourceKind,
  id: string,
): Promise<ResourceRow> {
  const row = await findResourceRow(db, id);
  if (!row || row.kind !== kind || !readsJurisdiction(ctx.user, row.jurisdiction_path))
    throw new AppError('NOT_FOUND', `${RESOURCE_KIND_LABELS[kind]}记录不存在`);
  return row;
}

function requireEditable(ctx: SignedInCtx, row: ResourceRow): void {
  authorize(
    ctx,
    (u) =>
      canEditRecord(u, {
        jurisdictionId: row.jurisdiction_id,
        unitId: row.unit_id,
        unitJurisdictionId: row.unit_jurisdiction_id,
      }),
    '只能修改本单位登记的记录；本级管理员可修改本级全部记录，上级只能查看',
  );
}

export async function getRegistryRecord(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  id: string,
  timeZone: string,
): Promise<RegistryDetail> {
  authorize(ctx, canReadRegistries);
  const row = await requireReadable(db, ctx, kind, id);
  const refs = await referencesTo(db, id);
  const services = kind === 'volunteer' ? await listServiceItems(db, id) : null;
  return {
    ...toRegistryRecord(row, todayIn(timeZone), ctx.user),
    services: services?.items ?? null,
    totalHours: services?.totalHours ?? null,
    childCount: refs.children,
  };
}

function invalid(issues: RegistryIssue[], message?: string): AppError {
  return new AppError('VALIDATION_FAILED', message ?? issues[0]?.message, {
    fields: issues.map((i) => ({ path: `body.${i.path}`, message: i.message })),
  });
}

/** What the audit log shows of a record: Chinese field names, no internal ids. */
function auditView(
  row: ResourcesTable,
  names: { jurisdiction: string; unit: string; parent: string | null },
) {
  const def = REGISTRY_DEFINITIONS[row.kind as ResourceKind];
  const c = def.columns;
  const view: Record<string, string> = {
    [def.nameLabel]: row.name,
    所属行政区划: names.jurisdiction,
    登记单位: names.unit,
  };
  const put = (label: string | undefined, v: string | number | null | undefined) => {
    if (label && v !== null && v !== undefined && v !== '') view[label] = String(v);
  };
  put(c.level?.label, row.level);
  put(c.category?.label, row.category);
  put(c.theme?.label, row.theme);
  put(c.recognisedOn?.label, row.recognised_on);
  put(c.expiresOn?.label, row.expires_on);
  put(c.quantity?.label, row.quantity);
  put(c.hours?.label, row.hours);
  put(c.address?.label, row.address);
  if (row.longitude !== null) put('坐标', `经度 ${row.longitude}，纬度 ${row.latitude}`);
  if (row.open_to_public !== null) put(c.openToPublic?.label, row.open_to_public === 1 ? '是' : '否');
  put(c.openingHours?.label, row.opening_hours);
  put(c.parent?.label, names.parent);
  put(c.withdrawn ? `${c.withdrawn.label}日期` : undefined, row.withdrawn_on);
  put(c.withdrawn ? `${c.withdrawn.label}原因` : undefined, row.withdrawn_reason);
  const details = parseDetails(row.details_json);
  for (const d of def.details) put(d.label, details[d.key]);
  return view;
}

interface Resolved {
  jurisdictionId: string;
  jurisdictionName: string;
  unitId: string;
  unitName: string;
  parentName: string | null;
}

/**
 * The checks that need the database: the jurisdiction (the user's own; an admin's subtree), the keeping unit (a unit
 * user's own; for an admin a unit of that jurisdiction or above it, within the admin's subtree), the parent (of the
 * kind's parent kind, at or above the record's jurisdiction), the coordinates inside the jurisdiction's box.
 */
async function resolveInput(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  kind: ResourceKind,
  input: RegistryRecordInput,
  current: ResourceRow | null,
): Promise<Resolved> {
  const user = ctx.user;
  const def = REGISTRY_DEFINITIONS[kind];
  const jurisdictionId =
    input.jurisdictionId ?? current?.jurisdiction_id ?? user.jurisdictionId ?? (await rootJurisdictionId(db));
  if (!jurisdictionId) throw new AppError('NOT_FOUND', '尚未设置行政区划');
  const path = await requireJurisdictionPath(db, jurisdictionId);
  if (!readsJurisdiction(user, path)) throw new AppError('NOT_FOUND', '行政区划不存在');
  if (user.role !== 'admin' && user.jurisdictionId !== null && jurisdictionId !== user.jurisdictionId)
    throw new AppError('FORBIDDEN', '只能登记本级行政区划的记录');
  const jurisdictionName = (await findJurisdiction(db, jurisdictionId))?.name ?? '';

  let unitId = input.unitId ?? current?.unit_id ?? null;
  if (user.role === 'reporter') {
    unitId = unitId ?? user.unitId;
    if (unitId !== user.unitId) throw new AppError('FORBIDDEN', '只能登记本单位的记录');
  }
  if (!unitId) throw invalid([{ path: 'unitId', message: '请选择登记单位' }]);
  const unit = await findUnitRow(db, unitId);
  if (!unit || unit.merged_into_id) throw invalid([{ path: 'unitId', message: '登记单位不存在' }]);
  const unitPath = await unitJurisdictionPath(db, unitId);
  if (unitPath !== null && !readsJurisdiction(user, unitPath))
    throw invalid([{ path: 'unitId', message: '登记单位不存在' }]);
  if (unitPath !== null && !path.startsWith(unitPath))
    throw invalid([{ path: 'unitId', message: `登记单位“${unit.name}”不属于该行政区划或其上级` }]);
  if (
    user.role === 'admin' &&
    !canEditRecord(user, { jurisdictionId, unitId, unitJurisdictionId: unit.jurisdiction_id })
  )
    throw new AppError('FORBIDDEN', '上级只能查看下级的记录：请由下级的管理员或单位登记');

  let parentName: string | null = null;
  if (input.parentId) {
    const parent = await findResourceRow(db, input.parentId);
    const label = def.columns.parent?.label ?? '上级';
    if (!parent || !readsJurisdiction(user, parent.jurisdiction_path))
      throw invalid([{ path: 'parentId', message: `${label}不存在` }]);
    if (parent.kind !== def.parentKind)
      throw invalid([
        {
          path: 'parentId',
          message: `${label}应是${def.parentKind ? RESOURCE_KIND_LABELS[def.parentKind] : '—'}，“${parent.name}”是${RESOURCE_KIND_LABELS[parent.kind as ResourceKind]}`,
        },
      ]);
    if (!path.startsWith(parent.jurisdiction_path))
      throw invalid([
        {
          path: 'parentId',
          message: `“${parent.name}”属于${parent.jurisdiction_name}，不是本地区或其上级的${label}`,
        },
      ]);
    parentName = parent.name;
  }

  if (input.longitude != null && input.latitude != null) {
    const box = await effectiveBounds(db, jurisdictionId);
    if (
      box &&
      (input.longitude < box.minLng ||
        input.longitude > box.maxLng ||
        input.latitude < box.minLat ||
        input.latitude > box.maxLat)
    )
      throw invalid([
        {
          path: 'longitude',
          message: `坐标（经度 ${input.longitude}，纬度 ${input.latitude}）不在${box.name}范围内`,
        },
      ]);
  }
  return { jurisdictionId, jurisdictionName, unitId, unitName: unit.name, parentName };
}

/** The columns of an input (a kind's unused columns stay null). */
function columnsOf(kind: ResourceKind, input: RegistryRecordInput) {
  const details = Object.fromEntries(
    Object.entries(input.details ?? {})
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );
  return {
    kind,
    name: input.name,
    level: input.level ?? null,
    category: input.category || null,
    theme: input.theme || null,
    recognised_on: input.recognisedOn ?? null,
    expires_on: input.expiresOn ?? null,
    withdrawn_on: input.withdrawnOn ?? null,
    withdrawn_reason: input.withdrawnReason || null,
    year: input.recognisedOn ? Number(input.recognisedOn.slice(0, 4)) : null,
    quantity: input.quantity ?? null,
    hours: input.hours ?? null,
    address: input.address || null,
    longitude: input.longitude ?? null,
    latitude: input.latitude ?? null,
    open_to_public: input.openToPublic == null ? null : input.openToPublic ? 1 : 0,
    opening_hours: input.openingHours || null,
    parent_id: input.parentId ?? null,
    details_json: JSON.stringify(details),
  };
}

/**
 * Insert one checked record inside an open transaction, with its audit row (the form's create and each import row).
 * Returns the new id.
 */
export async function insertRegistryRecord(
  trx: Kysely<Database>,
  ctx: SignedInCtx,
  kind: ResourceKind,
  input: RegistryRecordInput,
  opts: { demoBatchId?: string | null } = {},
): Promise<string> {
  const issues = checkRegistryInput(kind, input);
  if (issues.length) throw invalid(issues);
  const r = await resolveInput(trx, ctx, kind, input, null);
  const now = nowIso();
  const row: ResourcesTable = {
    id: newId(),
    ...columnsOf(kind, input),
    jurisdiction_id: r.jurisdictionId,
    unit_id: r.unitId,
    version: 1,
    created_by: ctx.user.id,
    created_at: now,
    updated_at: now,
    demo_batch_id: opts.demoBatchId ?? null,
  };
  await insertResourceRow(trx, row);
  await recordAudit(trx, ctx, {
    action: 'registry.create',
    entityType: ENTITY,
    entityId: row.id,
    after: auditView(row, { jurisdiction: r.jurisdictionName, unit: r.unitName, parent: r.parentName }),
  });
  return row.id;
}

export async function createRegistryRecord(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  input: RegistryRecordInput,
  timeZone: string,
): Promise<RegistryDetail> {
  authorize(ctx, canWriteRegistries, '领导和分析员只能查看资源库');
  const id = await db.transaction().execute((trx) => insertRegistryRecord(trx, ctx, kind, input));
  return getRegistryRecord(db, ctx, kind, id, timeZone);
}

function namesOf(row: ResourceRow) {
  return { jurisdiction: row.jurisdiction_name, unit: row.unit_name, parent: row.parent_name };
}

/** Replace a record's fields (optimistic concurrency on `version`). */
export async function updateRegistryRecord(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  id: string,
  input: RegistryRecordUpdate,
  timeZone: string,
): Promise<RegistryDetail> {
  authorize(ctx, canWriteRegistries, '领导和分析员只能查看资源库');
  await db.transaction().execute(async (trx) => {
    const before = await requireReadable(trx, ctx, kind, id);
    requireEditable(ctx, before);
    if (before.version !== input.version) throw conflict(before.version);
    // 摘牌 is its own action: an edit that does not mention it keeps it (null clears it, a date corrects it).
    input = {
      ...input,
      withdrawnOn: input.withdrawnOn === undefined ? before.withdrawn_on : input.withdrawnOn,
      withdrawnReason: input.withdrawnReason === undefined ? before.withdrawn_reason : input.withdrawnReason,
    };
    const issues = checkRegistryInput(kind, input);
    if (parentCycle(id, input.parentId)) issues.push({ path: 'parentId', message: '不能以自身为上级' });
    if (issues.length) throw invalid(issues);
    const r = await resolveInput(trx, ctx, kind, input, before);
    const changes = {
      ...columnsOf(kind, input),
      jurisdiction_id: r.jurisdictionId,
      unit_id: r.unitId,
      updated_at: nowIso(),
    };
    if (!(await updateResourceRow(trx, id, input.version, changes))) throw conflict(before.version);
    await recordAudit(trx, ctx, {
      action: 'registry.update',
      entityType: ENTITY,
      entityId: id,
      before: auditView(before, namesOf(before)),
      after: auditView(
        { ...before, ...changes },
        { jurisdiction: r.jurisdictionName, unit: r.unitName, parent: r.parentName },
      ),
    });
  });
  return getRegistryRecord(db, ctx, kind, id, timeZone);
}

const parentCycle = (id: string, parentId: string | null | undefined) => parentId === id;

function conflict(currentVersion: number): AppError {
  return new AppError('CONFLICT', '该记录已被他人修改，请刷新后再改', { currentVersion });
}

/** 摘牌 (or 撤销 / 注销 / 解聘 / 闭馆, as the kind calls it): from that day on the record no longer counts. */
export async function withdrawRegistryRecord(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  id: string,
  input: RegistryWithdraw,
  timeZone: string,
): Promise<RegistryDetail> {
  authorize(ctx, canWriteRegistries, '领导和分析员只能查看资源库');
  const def = REGISTRY_DEFINITIONS[kind];
  const label = def.columns.withdrawn?.label;
  if (!label) throw new AppError('BAD_REQUEST', `${def.label}没有摘牌`);
  await db.transaction().execute(async (trx) => {
    const before = await requireReadable(trx, ctx, kind, id);
    requireEditable(ctx, before);
    if (before.version !== input.version) throw conflict(before.version);
    if (before.withdrawn_on)
      throw new AppError('INVALID_STATE', `该记录已于 ${before.withdrawn_on} ${label}`);
    if (before.recognised_on && input.withdrawnOn < before.recognised_on)
      throw invalid([
        {
          path: 'withdrawnOn',
          message: `${label}日期（${input.withdrawnOn}）不能早于${def.columns.recognisedOn?.label ?? '认定日期'}（${before.recognised_on}）`,
        },
      ]);
    const changes = { withdrawn_on: input.withdrawnOn, withdrawn_reason: input.reason, updated_at: nowIso() };
    if (!(await updateResourceRow(trx, id, input.version, changes))) throw conflict(before.version);
    await recordAudit(trx, ctx, {
      action: 'registry.withdraw',
      entityType: ENTITY,
      entityId: id,
      before: auditView(before, namesOf(before)),
      after: auditView({ ...before, ...changes }, namesOf(before)),
    });
  });
  return getRegistryRecord(db, ctx, kind, id, timeZone);
}

/** Delete a record entered by mistake; refused while other records or service records refer to it. */
export async function deleteRegistryRecord(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  id: string,
): Promise<{ ok: true }> {
  authorize(ctx, canWriteRegistries, '领导和分析员只能查看资源库');
  await db.transaction().execute(async (trx) => {
    const before = await requireReadable(trx, ctx, kind, id);
    requireEditable(ctx, before);
    const refs = await referencesTo(trx, id);
    if (refs.children > 0 || refs.services > 0) {
      const what = [
        refs.children > 0 ? `${refs.children} 条下属记录` : '',
        refs.services > 0 ? `${refs.services} 条服务记录` : '',
      ]
        .filter(Boolean)
        .join('、');
      throw new AppError(
        'INVALID_STATE',
        `该记录已有${what}引用，不能删除；删除只用于误录的记录，已不再有效的请${REGISTRY_DEFINITIONS[kind].columns.withdrawn?.label ?? '摘牌'}`,
        refs,
      );
    }
    await deleteResourceRow(trx, id);
    await recordAudit(trx, ctx, {
      action: 'registry.delete',
      entityType: ENTITY,
      entityId: id,
      before: auditView(before, namesOf(before)),
    });
  });
  return { ok: true };
}

const ACTION_LABELS: Record<string, string> = {
  'registry.create': '登记',
  'registry.update': '修改',
  'registry.withdraw': '摘牌',
  'registry.delete': '删除',
  'registry.import': '导入',
  'registry.service': '登记服务记录',
};

/** Who changed the record, when (in the configured time zone) and which fields, oldest first. */
export async function registryHistory(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  id: string,
  timeZone: string,
): Promise<RegistryHistory> {
  authorize(ctx, canReadRegistries);
  await requireReadable(db, ctx, kind, id);
  const withdrawLabel = REGISTRY_DEFINITIONS[kind].columns.withdrawn?.label ?? '摘牌';
  const items = (await recordHistory(db, ENTITY, id)).map((e) => {
    const before = (e.before ?? {}) as Record<string, string>;
    const after = (e.after ?? {}) as Record<string, string>;
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const changes = fields
      .filter((f) => (before[f] ?? '') !== (after[f] ?? ''))
      .map((f) => ({ field: f, before: before[f] ?? '', after: after[f] ?? '' }));
    const action = e.action === 'registry.withdraw' ? withdrawLabel : (ACTION_LABELS[e.action] ?? '修改');
    return { at: formatDateTimeIn(e.at, timeZone), actorName: e.actorName ?? '系统', action, changes };
  });
  return { items };
}

async function listServiceItems(db: Kysely<Database>, volunteerId: string): Promise<VolunteerServiceList> {
  const rows = await serviceRowsOf(db, volunteerId);
  const items = rows.map((s) => ({
    id: s.id,
    servedOn: s.served_on,
    hours: Number(s.hours),
    description: s.description,
    activityId: s.activity_id,
    activityTitle: s.activity_title,
  }));
  const totalHours = Math.round(items.reduce((a, s) => a + s.hours, 0) * 100) / 100;
  return { items, totalHours };
}

/** A volunteer's service records and their hours in total. */
export async function listVolunteerServices(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
): Promise<VolunteerServiceList> {
  authorize(ctx, canReadRegistries);
  await requireReadable(db, ctx, 'volunteer', id);
  return listServiceItems(db, id);
}

/** Record a volunteer's service (date, hours, what, optionally the 科普活动 it was for). */
export async function addVolunteerService(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: VolunteerServiceInput,
): Promise<VolunteerServiceList> {
  authorize(ctx, canWriteRegistries, '领导和分析员只能查看资源库');
  await db.transaction().execute(async (trx) => {
    const volunteer = await requireReadable(trx, ctx, 'volunteer', id);
    requireEditable(ctx, volunteer);
    if (volunteer.recognised_on && input.servedOn < volunteer.recognised_on)
      throw invalid([
        {
          path: 'servedOn',
          message: `服务日期（${input.servedOn}）早于注册日期（${volunteer.recognised_on}）`,
        },
      ]);
    if (volunteer.withdrawn_on && input.servedOn >= volunteer.withdrawn_on)
      throw invalid([{ path: 'servedOn', message: `该志愿者已于 ${volunteer.withdrawn_on} 注销` }]);
    if (input.activityId) {
      const path = await activityPath(trx, input.activityId);
      if (path === null || !readsJurisdiction(ctx.user, path))
        throw invalid([{ path: 'activityId', message: '所选科普活动不存在' }]);
    }
    const row = {
      id: newId(),
      volunteer_id: id,
      activity_id: input.activityId ?? null,
      served_on: input.servedOn,
      hours: input.hours,
      description: input.description || null,
      created_by: ctx.user.id,
      created_at: nowIso(),
      demo_batch_id: null,
    };
    await insertServiceRow(trx, row);
    await recordAudit(trx, ctx, {
      action: 'registry.service',
      entityType: ENTITY,
      entityId: id,
      after: { 服务日期: row.served_on, 服务时长: `${row.hours} 小时`, 服务内容: row.description ?? '' },
    });
  });
  return listServiceItems(db, id);
}

const VENUE_KINDS: ('science_base' | 'science_museum')[] = ['science_base', 'science_museum'];

/** Public: 科普教育基地 and 科技馆 open to the public and in force today (no sign-in). */
export async function listPublicVenues(
  db: Kysely<Database>,
  jurisdictionId: string | undefined,
  timeZone: string,
): Promise<PublicVenueList> {
  const root = await rootJurisdictionId(db);
  const id = jurisdictionId ?? root;
  if (!id) return { items: [], asOf: todayIn(timeZone) };
  const path = await requireJurisdictionPath(db, id);
  const asOf = todayIn(timeZone);
  const rows = await publicVenueRows(db, VENUE_KINDS, path, asOf, 500);
  return {
    asOf,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind as 'science_base' | 'science_museum',
      kindLabel: RESOURCE_KIND_LABELS[r.kind as ResourceKind],
      name: r.name,
      level: r.level,
      jurisdictionName: r.jurisdiction_name,
      address: r.address,
      openingHours: r.opening_hours,
      longitude: r.longitude === null ? null : Number(r.longitude),
      latitude: r.latitude === null ? null : Number(r.latitude),
    })),
  };
}

/** Every page of a registry list (exports), refused past `max` rows rather than cut. */
export async function allRegistryRows(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  q: Omit<RegistryListQuery, 'page' | 'pageSize'>,
  timeZone: string,
  max: number,
): Promise<Page<RegistryRecord> & { asOf: string }> {
  authorize(ctx, canReadRegistries);
  const f = await registryFilters(db, ctx, kind, q, timeZone);
  const items: RegistryRecord[] = [];
  let total = 0;
  for (let page = 1; ; page += 1) {
    const r = await listResourceRows(db, f, page, 1000);
    total = r.total;
    if (total > max) throw new AppError('PAYLOAD_TOO_LARGE', `导出的行数（${total}）过多，请先筛选`);
    items.push(...r.rows.map((row) => toRegistryRecord(row, f.asOf, ctx.user)));
    if (items.length >= total || r.rows.length === 0) break;
  }
  return { items, total, page: 1, pageSize: items.length, asOf: f.asOf };
}
