import {
  type Activity,
  type ActivityDetail,
  type ActivityInputParsed,
  type ActivityListQuery,
  type ActivityPage,
  type ActivityUpdate,
  activityDedupeKey,
  type PopulationGroup,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize, type SignedInCtx } from '../../authorize';
import { type Ctx, readsJurisdiction } from '../../context';
import { isForeignKeyViolation } from '../../db/dialect';
import { FingerprintCache } from '../../db/read-cache';
import type { ActivitiesTable, Database, JurisdictionsTable } from '../../db/schema';
import { AppError } from '../../errors';
import type { FileStorage } from '../../storage';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { findJurisdiction, rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import {
  canEditActivity,
  canReadActivities,
  canReadActivity,
  canRecordActivities,
} from './activities.policy';
import {
  type ActivityFilter,
  type ActivityRow,
  activitiesFingerprint,
  coorganiserRows,
  countedActivityNames,
  deleteActivityRow,
  duplicateCounts,
  fileRows,
  findActivityRow,
  findCountedByKey,
  followerIds,
  insertActivityRow,
  listActivityRows,
  replaceCoorganisers,
  setDuplicateOf,
  subtreeJurisdictions,
  unitFacts,
  updateActivityRow,
} from './activities.repository';
import { toActivityFile } from './activity-files.present';

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: [{ path: field, message }] });
}

const editFacts = (row: ActivityRow) => ({
  organiserUnitId: row.organiser_unit_id,
  jurisdictionId: row.jurisdiction_id,
  organiserJurisdictionId: row.organiser_jurisdiction_id,
});

/** What a page of rows shows besides the rows: co-organisers, joint-report counts, the counted reports' names. */
interface Extras {
  coOf: Map<string, { id: string; name: string }[]>;
  counts: Map<string, number>;
  targetOf: Map<string, { id: string; title: string; organiser_name: string }>;
}

async function extrasOf(db: Kysely<Database>, rows: ActivityRow[]): Promise<Extras> {
  const ids = rows.map((r) => r.id);
  const dupTargets = [...new Set(rows.map((r) => r.duplicate_of).filter((x): x is string => x !== null))];
  const [co, counts, targets] = await Promise.all([
    coorganiserRows(db, ids),
    duplicateCounts(db, ids),
    countedActivityNames(db, dupTargets),
  ]);
  const coOf = new Map<string, { id: string; name: string }[]>();
  for (const c of co)
    coOf.set(c.activity_id, [...(coOf.get(c.activity_id) ?? []), { id: c.unit_id, name: c.name }]);
  return { coOf, counts, targetOf: new Map(targets.map((t) => [t.id, t])) };
}

/** The rows as the API shows them, with co-organisers, the counted report of joint ones and the reader's rights. */
function present(ctx: SignedInCtx, rows: ActivityRow[], x: Extras): Activity[] {
  return rows.map((r) => {
    const target = r.duplicate_of ? x.targetOf.get(r.duplicate_of) : undefined;
    return {
      id: r.id,
      title: r.title,
      organiser: { id: r.organiser_unit_id, name: r.organiser_name },
      coorganisers: x.coOf.get(r.id) ?? [],
      jurisdictionId: r.jurisdiction_id,
      jurisdictionName: r.jurisdiction_name,
      place: r.place,
      longitude: r.longitude === null ? null : Number(r.longitude),
      latitude: r.latitude === null ? null : Number(r.latitude),
      startDate: r.start_date,
      endDate: r.end_date,
      year: r.year,
      theme: r.theme,
      campaign: r.campaign,
      populations: JSON.parse(r.populations_json) as PopulationGroup[],
      mode: r.mode as Activity['mode'],
      participants: Number(r.participants),
      countingMethod: r.counting_method,
      summary: r.summary,
      duplicateOf: target
        ? { id: target.id, organiserName: target.organiser_name, title: target.title }
        : null,
      duplicateCount: x.counts.get(r.id) ?? 0,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      isDemo: r.demo_batch_id !== null,
      can: { edit: canEditActivity(ctx.user, editFacts(r)) },
    };
  });
}

/** An activity the user reads; one of another jurisdiction is not found (never 403: its existence is not told). */
async function requireReadable(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<ActivityRow> {
  const row = await findActivityRow(db, id);
  if (!row || !canReadActivity(ctx.user, { jurisdictionPath: row.jurisdiction_path }))
    throw new AppError('NOT_FOUND', '活动不存在');
  return row;
}

/** An activity the user may change (read first: 404 before 403). */
export async function requireEditableActivity(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
): Promise<ActivityRow> {
  authorize(ctx, canReadActivities);
  const row = await requireReadable(db, ctx, id);
  if (!canEditActivity(ctx.user, editFacts(row)))
    throw new AppError('FORBIDDEN', '只能修改本单位主办的活动（管理员可修改本级的活动）');
  return row;
}

/** The activity the user reads (for the files service). */
export async function requireReadableActivity(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
): Promise<ActivityRow> {
  authorize(ctx, canReadActivities);
  return requireReadable(db, ctx, id);
}

/** The jurisdiction to list or count: the one asked for when the user reads it (else 404), or the user's own. */
export async function requireReadableJurisdiction(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  jurisdictionId: string | undefined,
): Promise<JurisdictionsTable> {
  const id = jurisdictionId ?? ctx.user.jurisdictionId ?? (await rootJurisdictionId(db));
  const j = id ? await findJurisdiction(db, id) : undefined;
  if (!j || !readsJurisdiction(ctx.user, j.path)) throw new AppError('NOT_FOUND', '行政区划不存在');
  return j;
}

export async function listActivities(
  db: Kysely<Database>,
  ctx: Ctx,
  q: ActivityListQuery,
): Promise<ActivityPage> {
  const { user, filter } = await readableFilter(db, ctx, q);
  const pageOf = { limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
  const { rows, total, extras } = await listCache.get(db, JSON.stringify([filter, pageOf]), async () => {
    const read = await listActivityRows(db, filter, pageOf);
    return { ...read, extras: await extrasOf(db, read.rows) };
  });
  return { items: present(user, rows, extras), total, page: q.page, pageSize: q.pageSize };
}

/** At most this many activities in one export (a province's year is far below). */
const MAX_EXPORT_ROWS = 100_000;

/**
 * The list's filters over every page, presented as the list presents them (for the xlsx/csv export). More than
 * `max` (MAX_EXPORT_ROWS) matching is refused (413) rather than cut short without a word.
 */
export async function allActivities(
  db: Kysely<Database>,
  ctx: Ctx,
  q: Omit<ActivityListQuery, 'page' | 'pageSize'>,
  max = MAX_EXPORT_ROWS,
): Promise<{ items: Activity[]; total: number }> {
  const { user, filter } = await readableFilter(db, ctx, q);
  const { rows, total } = await listActivityRows(db, filter, { limit: max, offset: 0 });
  if (total > max)
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `符合条件的活动有 ${total} 条，超过一次导出的上限 ${max} 条，请先按年度、地区或主办单位筛选`,
    );
  return { items: present(user, rows, await extrasOf(db, rows)), total };
}

async function readableFilter(
  db: Kysely<Database>,
  ctx: Ctx,
  q: Omit<ActivityListQuery, 'page' | 'pageSize'>,
): Promise<{ user: SignedInCtx; filter: ActivityFilter }> {
  authorize(ctx, canReadActivities);
  const j = await requireReadableJurisdiction(db, ctx, q.jurisdictionId);
  const filter: ActivityFilter = {
    // The root's subtree is every activity: no jurisdiction filter at all.
    jurisdictionIds: j.parent_id === null ? null : (await subtreeJurisdictions(db, j.path)).map((x) => x.id),
    year: q.year,
    from: q.from,
    to: q.to,
    campaign: q.campaign,
    unitId: q.unitId,
    q: q.q || undefined,
    includeDuplicates: q.includeDuplicates,
  };
  return { user: ctx, filter };
}

/**
 * Pages of the list kept in memory while the activities fingerprint holds (every change to an activity, its
 * co-organisers, a unit's or a jurisdiction's name is an audited write). Measured with 200,000 activities, a county's
 * year filtered by campaign, 50 connections: ~100 requests/s uncached on PostgreSQL (p99 1 s), 390 on SQLite.
 */
const listCache = new FingerprintCache<{ rows: ActivityRow[]; total: number; extras: Extras }>(
  activitiesFingerprint,
);

async function detailOf(db: Kysely<Database>, ctx: SignedInCtx, row: ActivityRow): Promise<ActivityDetail> {
  const [activity] = present(ctx, [row], await extrasOf(db, [row]));
  const files = await fileRows(db, row.id);
  return { ...activity!, files: files.map(toActivityFile) };
}

export async function getActivity(db: Kysely<Database>, ctx: Ctx, id: string): Promise<ActivityDetail> {
  authorize(ctx, canReadActivities);
  return detailOf(db, ctx, await requireReadable(db, ctx, id));
}

/**
 * The bounding box coordinates must fall in: the jurisdiction's own, else its nearest ancestor's that has one
 * (null: none up to the root, no check).
 */
async function boxOf(
  db: Kysely<Database>,
  j: JurisdictionsTable,
): Promise<{ minLng: number; maxLng: number; minLat: number; maxLat: number } | null> {
  const chain = j.path.split('/').filter(Boolean).reverse();
  for (const id of chain) {
    const r = id === j.id ? j : await findJurisdiction(db, id);
    if (r && r.min_lng != null && r.max_lng != null && r.min_lat != null && r.max_lat != null)
      return {
        minLng: Number(r.min_lng),
        maxLng: Number(r.max_lng),
        minLat: Number(r.min_lat),
        maxLat: Number(r.max_lat),
      };
  }
  return null;
}

interface Checked {
  organiserUnitId: string;
  coorganiserUnitIds: string[];
  jurisdiction: JurisdictionsTable;
}

/**
 * What only the database can tell: the organiser (a clerk's own unit; for an admin a live unit of its jurisdiction),
 * the co-organisers (existing units), where it was held (a clerk: its own jurisdiction; an admin: its subtree) and
 * the coordinates inside that place's bounding box. On an update, what is unchanged stays allowed.
 */
async function checkInput(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  input: ActivityInputParsed,
  before: ActivityRow | null,
): Promise<Checked> {
  const user = ctx.user;
  let organiserUnitId: string;
  if (user.role === 'reporter') {
    organiserUnitId = input.organiserUnitId ?? before?.organiser_unit_id ?? user.unitId!;
    if (organiserUnitId !== user.unitId)
      throw new AppError('FORBIDDEN', '只能以本单位名义上报活动：主办单位须是本单位');
  } else {
    const wanted = input.organiserUnitId ?? before?.organiser_unit_id;
    if (!wanted) throw invalid('organiserUnitId', '请选择主办单位');
    organiserUnitId = wanted;
    if (organiserUnitId !== before?.organiser_unit_id) {
      const [u] = await unitFacts(db, [organiserUnitId]);
      if (!u || u.jurisdiction_id !== user.jurisdictionId)
        throw invalid('organiserUnitId', '主办单位须是本级的单位');
      if (u.is_active !== 1) throw invalid('organiserUnitId', '主办单位已停用');
    }
  }

  const coorganiserUnitIds = [...new Set(input.coorganiserUnitIds)].filter((id) => id !== organiserUnitId);
  if (coorganiserUnitIds.length > 0) {
    const found = await unitFacts(db, coorganiserUnitIds);
    if (found.length !== coorganiserUnitIds.length) throw invalid('coorganiserUnitIds', '协办单位不存在');
  }

  const jurisdictionId = input.jurisdictionId ?? before?.jurisdiction_id ?? user.jurisdictionId;
  const jurisdiction = jurisdictionId ? await findJurisdiction(db, jurisdictionId) : undefined;
  if (!jurisdiction) throw invalid('jurisdictionId', '活动所在地区不存在');
  if (jurisdiction.id !== before?.jurisdiction_id) {
    const allowed =
      user.role === 'admin'
        ? readsJurisdiction(user, jurisdiction.path)
        : jurisdiction.id === user.jurisdictionId;
    if (!allowed)
      throw invalid(
        'jurisdictionId',
        user.role === 'admin' ? '活动所在地区须是本级或下级地区' : '活动所在地区须是本单位所在地区',
      );
  }

  if (input.longitude != null && input.latitude != null) {
    const box = await boxOf(db, jurisdiction);
    if (
      box &&
      (input.longitude < box.minLng ||
        input.longitude > box.maxLng ||
        input.latitude < box.minLat ||
        input.latitude > box.maxLat)
    )
      throw invalid(
        'longitude',
        `坐标不在${jurisdiction.name}范围内（经度 ${box.minLng}～${box.maxLng}，纬度 ${box.minLat}～${box.maxLat}），请核对`,
      );
  }
  return { organiserUnitId, coorganiserUnitIds, jurisdiction };
}

function rootPathOf(path: string): string {
  return `/${path.split('/').filter(Boolean)[0]}/`;
}

/**
 * Leave a joint group: a counted report hands the count to the next report of the same activity (the earliest
 * reported), the others then point to it. Returns the promoted activity's id, if any.
 */
async function leaveGroup(trx: Kysely<Database>, row: ActivitiesTable, now: string): Promise<string | null> {
  if (row.duplicate_of !== null) return null;
  const followers = await followerIds(trx, row.id);
  const [next, ...rest] = followers;
  if (!next) return null;
  await setDuplicateOf(trx, [next], null, now);
  await setDuplicateOf(trx, rest, next, now);
  return next;
}

/** The counted report of the same activity (same key) held under the same root, or null: this one counts. */
async function countedTwin(
  trx: Kysely<Database>,
  key: string,
  jurisdictionPath: string,
  selfId: string,
): Promise<string | null> {
  return (await findCountedByKey(trx, key, rootPathOf(jurisdictionPath), selfId))?.id ?? null;
}

function rowFields(input: ActivityInputParsed, c: Checked) {
  return {
    jurisdiction_id: c.jurisdiction.id,
    organiser_unit_id: c.organiserUnitId,
    title: input.title,
    theme: input.theme ?? null,
    campaign: input.campaign ?? null,
    place: input.place,
    longitude: input.longitude ?? null,
    latitude: input.latitude ?? null,
    start_date: input.startDate,
    end_date: input.endDate,
    year: Number(input.startDate.slice(0, 4)),
    mode: input.mode,
    populations_json: JSON.stringify([...new Set(input.populations)]),
    participants: input.participants,
    counting_method: input.countingMethod ?? null,
    summary: input.summary ?? null,
    dedupe_key: activityDedupeKey(input.startDate, input.place, input.title),
  };
}

export async function createActivity(
  db: Kysely<Database>,
  ctx: Ctx,
  input: ActivityInputParsed,
): Promise<ActivityDetail> {
  authorize(ctx, canRecordActivities, '只有填报单位和管理员可以上报活动');
  const c = await checkInput(db, ctx, input, null);
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    const fields = rowFields(input, c);
    const row: ActivitiesTable = {
      id,
      ...fields,
      duplicate_of: await countedTwin(trx, fields.dedupe_key, c.jurisdiction.path, id),
      version: 1,
      created_by: ctx.user.id,
      created_at: now,
      updated_at: now,
      demo_batch_id: null,
    };
    await insertActivityRow(trx, row);
    await replaceCoorganisers(trx, id, c.coorganiserUnitIds);
    await recordAudit(trx, ctx, {
      action: 'activity.create',
      entityType: 'activity',
      entityId: id,
      after: { ...row, coorganiserUnitIds: c.coorganiserUnitIds },
    });
  });
  return getActivity(db, ctx, id);
}

export async function updateActivity(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: ActivityUpdate,
): Promise<ActivityDetail> {
  const before = await requireEditableActivity(db, ctx, id);
  authorize(ctx, canRecordActivities, '只有填报单位和管理员可以修改活动');
  const c = await checkInput(db, ctx, input, before);
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    const fields = rowFields(input, c);
    const changes: Partial<ActivitiesTable> = { ...fields, updated_at: now };
    let promoted: string | null = null;
    const regroup =
      fields.dedupe_key !== before.dedupe_key ||
      rootPathOf(c.jurisdiction.path) !== rootPathOf(before.jurisdiction_path);
    if (regroup) {
      promoted = await leaveGroup(trx, before, now);
      changes.duplicate_of = await countedTwin(trx, fields.dedupe_key, c.jurisdiction.path, id);
    }
    if (!(await updateActivityRow(trx, id, input.version, changes)))
      throw new AppError('CONFLICT', '该活动已被他人修改，请刷新后重试');
    await replaceCoorganisers(trx, id, c.coorganiserUnitIds);
    await recordAudit(trx, ctx, {
      action: 'activity.update',
      entityType: 'activity',
      entityId: id,
      before,
      after: { ...changes, coorganiserUnitIds: c.coorganiserUnitIds, ...(promoted ? { promoted } : {}) },
    });
  });
  return getActivity(db, ctx, id);
}

/**
 * Delete an activity with its co-organisers and files. When it was the counted report of a joint activity, the next
 * report of the same activity becomes the counted one, in the same transaction.
 */
export async function deleteActivity(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  id: string,
): Promise<void> {
  const before = await requireEditableActivity(db, ctx, id);
  const files = await fileRows(db, id);
  try {
    await db.transaction().execute(async (trx) => {
      const promoted = await leaveGroup(trx, before, nowIso());
      await deleteActivityRow(trx, id);
      await recordAudit(trx, ctx, {
        action: 'activity.delete',
        entityType: 'activity',
        entityId: id,
        before: {
          ...before,
          files: files.map((f) => ({ id: f.id, fileName: f.file_name, sha256: f.sha256 })),
        },
        after: promoted ? { promoted } : undefined,
      });
    });
  } catch (err) {
    if (isForeignKeyViolation(err))
      throw new AppError('INVALID_STATE', '该活动已被志愿服务记录引用，请先修改这些记录后再删除');
    throw err;
  }
  for (const f of files) await storage.delete(f.storage_path);
}
