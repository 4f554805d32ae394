import {
  type ExportFormat,
  type Page,
  type PublicRecognition,
  RECIPIENT_KIND_LABELS,
  RECOGNITION_STATE_LABELS,
  type Recognition,
  type RecognitionInput,
  type RecognitionLevel,
  type RecognitionListQuery,
  type RecognitionProposalsInput,
  type RecognitionsFromAssessment,
  type RecognitionState,
  type RecognitionUpdate,
  type RecipientKind,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize, type SignedInCtx } from '../../authorize';
import { type AuthUser, type Ctx, readsJurisdiction, worksIn } from '../../context';
import type { Database, JurisdictionsTable, RecognitionsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { assessmentStandings } from '../assessments/assessments-reads.service';
import { recordAudit } from '../audit/audit.service';
import { type ExportFile, renderTable } from '../exchange/table-export';
import { findJurisdiction, rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import { findUnitRow, unitJurisdictionPath } from '../units/unit-reads.service';
import { canEditRecognitions, canReadRecognitions } from './recognitions.policy';
import {
  deleteRecognitionRow,
  findRecognitionRow,
  insertRecognitionRow,
  listRecognitionRows,
  publicRecognitionYears,
  type RecognitionRow,
  updateRecognitionRow,
} from './recognitions.repository';

function toRecognition(r: RecognitionRow, user: AuthUser | null): Recognition {
  return {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionName: r.jurisdiction_name,
    year: r.year,
    recipientKind: r.recipient_kind as RecipientKind,
    recipientName: r.recipient_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    recipientJurisdictionId: r.recipient_jurisdiction_id,
    recipientJurisdictionName: r.recipient_jurisdiction_name,
    level: r.level as RecognitionLevel,
    title: r.title,
    reason: r.reason,
    docNumber: r.doc_number,
    awardedOn: r.awarded_on,
    state: r.state as RecognitionState,
    isPublished: r.is_published === 1,
    sourceText: r.source_text,
    sourceRef: r.source_ref,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    canEdit: user !== null && canEditRecognitions(user) && worksIn(user, r.jurisdiction_id),
  };
}

/** A jurisdiction the user reads, or NOT_FOUND (a forged id says nothing). */
async function visibleJurisdiction(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  id: string,
): Promise<JurisdictionsTable> {
  const j = await findJurisdiction(db, id);
  if (!j || !readsJurisdiction(ctx.user, j.path)) throw new AppError('NOT_FOUND', '行政区划不存在');
  return j;
}

/** The awarding level the admin works in (a level above or below: FORBIDDEN once it is visible). */
async function ownLevel(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<JurisdictionsTable> {
  const j = await visibleJurisdiction(db, ctx, id);
  if (!worksIn(ctx.user, j.id)) throw new AppError('FORBIDDEN', '只能记录本级授予的表彰');
  return j;
}

/** A record the user reads (awarded by its level or below), else NOT_FOUND. */
async function visibleRecord(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<RecognitionRow> {
  const r = await findRecognitionRow(db, id);
  if (!r) throw new AppError('NOT_FOUND', '表彰记录不存在');
  const j = await findJurisdiction(db, r.jurisdiction_id);
  if (!j || !readsJurisdiction(ctx.user, j.path)) throw new AppError('NOT_FOUND', '表彰记录不存在');
  return r;
}

/** A record the admin of its awarding level edits, at the version given (else CONFLICT). */
async function editableRecord(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  id: string,
  version: number,
): Promise<RecognitionRow> {
  const r = await visibleRecord(db, ctx, id);
  if (!worksIn(ctx.user, r.jurisdiction_id)) throw new AppError('FORBIDDEN', '只能修改本级授予的表彰');
  if (r.version !== version) throw new AppError('CONFLICT', '表彰记录已被他人修改，请刷新后重试');
  return r;
}

/** The recipient's unit and county, when linked, must lie in the awarding level's subtree. */
async function checkLinks(
  db: Kysely<Database>,
  j: JurisdictionsTable,
  unitId: string | null,
  recipientJurisdictionId: string | null,
): Promise<void> {
  if (unitId) {
    const unit = await findUnitRow(db, unitId);
    const path = unit ? await unitJurisdictionPath(db, unitId) : null;
    const inside = unit && (path === null ? j.parent_id === null : path.startsWith(j.path));
    if (!inside) throw new AppError('VALIDATION_FAILED', '所选单位不存在或不属于本级');
  }
  if (recipientJurisdictionId) {
    const rj = await findJurisdiction(db, recipientJurisdictionId);
    if (!rj?.path.startsWith(j.path)) throw new AppError('VALIDATION_FAILED', '所选县区不存在或不属于本级');
  }
}

const LEVEL_OF: Record<string, RecognitionLevel> = {
  province: '省级',
  city: '市级',
  county: '县级',
  zone: '县级',
};

/** The fields an audit row shows of a record. */
const audited = (
  r: Pick<RecognitionsTable, 'year' | 'recipient_name' | 'level' | 'title' | 'state'> &
    Partial<RecognitionsTable>,
) => ({
  年度: r.year,
  对象: r.recipient_name,
  级别: r.level,
  称号: r.title,
  状态: RECOGNITION_STATE_LABELS[r.state as RecognitionState] ?? r.state,
  ...(r.doc_number !== undefined ? { 文号: r.doc_number } : {}),
  ...(r.is_published !== undefined ? { 公开: r.is_published === 1 } : {}),
});

/** Records awarded by a level (default: the user's own) and the levels below it, filtered, newest year first. */
export async function listRecognitions(
  db: Kysely<Database>,
  ctx: Ctx,
  q: RecognitionListQuery,
): Promise<Page<Recognition>> {
  authorize(ctx, canReadRecognitions);
  const id = q.jurisdictionId ?? ctx.user.jurisdictionId ?? (await rootJurisdictionId(db));
  const j = id ? await visibleJurisdiction(db, ctx, id) : null;
  const { rows, total } = await listRecognitionRows(
    db,
    {
      ...(j ? { withinPath: j.path } : {}),
      ...(q.year !== undefined ? { year: q.year } : {}),
      ...(q.level ? { level: q.level } : {}),
      ...(q.state ? { state: q.state } : {}),
    },
    q.page,
    q.pageSize,
  );
  return { items: rows.map((r) => toRecognition(r, ctx.user)), total, page: q.page, pageSize: q.pageSize };
}

async function insertOne(
  trx: Kysely<Database>,
  ctx: SignedInCtx,
  j: JurisdictionsTable,
  fields: Omit<
    RecognitionsTable,
    'id' | 'jurisdiction_id' | 'version' | 'created_by' | 'created_at' | 'updated_at'
  >,
  action: string,
): Promise<Recognition> {
  const now = nowIso();
  const row: RecognitionsTable = {
    id: newId(),
    jurisdiction_id: j.id,
    ...fields,
    version: 1,
    created_by: ctx.user.id,
    created_at: now,
    updated_at: now,
  };
  await insertRecognitionRow(trx, row);
  await recordAudit(trx, ctx, {
    action,
    entityType: 'recognition',
    entityId: row.id,
    after: { ...audited(row), 来源: row.source_text },
  });
  const stored = await findRecognitionRow(trx, row.id);
  if (!stored) throw new AppError('INTERNAL');
  return toRecognition(stored, ctx.user);
}

/** Record a commendation of the admin's own level: proposed, or confirmed at once when asked. */
export async function createRecognition(
  db: Kysely<Database>,
  ctx: Ctx,
  input: RecognitionInput,
): Promise<Recognition> {
  authorize(ctx, canEditRecognitions, '只有管理员可以记录表彰');
  return db.transaction().execute(async (trx) => {
    const j = await ownLevel(trx, ctx, input.jurisdictionId);
    await checkLinks(trx, j, input.unitId, input.recipientJurisdictionId);
    const now = nowIso();
    return insertOne(
      trx,
      ctx,
      j,
      {
        year: input.year,
        recipient_kind: input.recipientKind,
        recipient_name: input.recipientName,
        unit_id: input.unitId,
        recipient_jurisdiction_id: input.recipientJurisdictionId,
        level: input.level,
        title: input.title,
        reason: input.reason,
        doc_number: input.docNumber || null,
        awarded_on: input.awardedOn,
        state: input.confirmed ? 'confirmed' : 'proposed',
        is_published: 0,
        source_text: input.sourceText || null,
        source_ref: input.sourceRef || null,
        decided_by: input.confirmed ? ctx.user.id : null,
        decided_at: input.confirmed ? now : null,
      },
      'recognition.create',
    );
  });
}

/**
 * Candidates proposed from elsewhere (the lead wires the assessment ranking here): each created as proposed, all in
 * one transaction (one bad candidate and none is written). The level defaults to the awarding level's own.
 */
export async function proposeRecognitions(
  db: Kysely<Database>,
  ctx: Ctx,
  input: RecognitionProposalsInput,
): Promise<{ items: Recognition[] }> {
  authorize(ctx, canEditRecognitions, '只有管理员可以提出表彰建议');
  return db.transaction().execute(async (trx) => {
    const j = await ownLevel(trx, ctx, input.jurisdictionId);
    const level = input.level ?? LEVEL_OF[j.level] ?? '县级';
    const items: Recognition[] = [];
    for (const c of input.candidates) {
      await checkLinks(trx, j, c.unitId, c.jurisdictionId);
      items.push(
        await insertOne(
          trx,
          ctx,
          j,
          {
            year: input.year,
            recipient_kind: c.recipientKind,
            recipient_name: c.recipientName,
            unit_id: c.unitId,
            recipient_jurisdiction_id: c.jurisdictionId,
            level,
            title: c.title,
            reason: c.reason,
            doc_number: null,
            awarded_on: null,
            state: 'proposed',
            is_published: 0,
            source_text: c.sourceText || null,
            source_ref: c.sourceRef || null,
            decided_by: null,
            decided_at: null,
          },
          'recognition.propose',
        ),
      );
    }
    return { items };
  });
}

/**
 * 表彰 proposed from the assessment ranking: the subjects of a frozen rubric of the admin's own level ranked within
 * `top` (ties included, vetoed never), each as a proposed collective recognition with its rank, score and grade as the
 * reason and the rubric as its source — then as `proposeRecognitions` (one transaction, audited).
 */
export async function proposeFromAssessment(
  db: Kysely<Database>,
  ctx: Ctx,
  input: RecognitionsFromAssessment,
): Promise<{ items: Recognition[] }> {
  authorize(ctx, canEditRecognitions, '只有管理员可以提出表彰建议');
  const standings = await assessmentStandings(db, input.assessmentId);
  const j = standings ? await findJurisdiction(db, standings.rubric.jurisdictionId) : undefined;
  if (!standings || !j || !readsJurisdiction(ctx.user, j.path)) throw new AppError('NOT_FOUND', '考核不存在');
  await ownLevel(db, ctx, j.id);
  const { rubric, rows } = standings;
  if (rubric.state !== 'frozen') throw new AppError('INVALID_STATE', '考核结果定稿后才能据以提名表彰');
  const chosen = rows.filter((r) => !r.vetoed && r.rank <= input.top);
  if (chosen.length === 0) throw new AppError('VALIDATION_FAILED', '没有符合条件的考核对象');
  return proposeRecognitions(db, ctx, {
    jurisdictionId: rubric.jurisdictionId,
    year: rubric.year,
    ...(input.level ? { level: input.level } : {}),
    candidates: chosen.map((r) => ({
      recipientKind: 'collective',
      unitId: r.subjectKind === 'unit' ? r.subjectId : null,
      jurisdictionId: r.subjectKind === 'jurisdiction' ? r.subjectId : null,
      recipientName: r.subjectName,
      title: input.title,
      reason: `${rubric.title}第 ${r.rank} 名，总分 ${r.total} 分，等次${r.grade}。`,
      sourceText: `${rubric.title}第 ${r.rank} 名`,
      sourceRef: `assessment:${rubric.id}:${r.rank}`,
    })),
  });
}

async function change(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  version: number,
  action: string,
  next: (
    r: RecognitionRow,
    now: string,
    trx: Kysely<Database>,
  ) => Partial<RecognitionsTable> | Promise<Partial<RecognitionsTable>>,
): Promise<Recognition> {
  authorize(ctx, canEditRecognitions, '只有管理员可以修改表彰');
  return db.transaction().execute(async (trx) => {
    const r = await editableRecord(trx, ctx, id, version);
    const now = nowIso();
    const changes = { ...(await next(r, now, trx)), updated_at: now };
    if (!(await updateRecognitionRow(trx, r.id, r.version, changes)))
      throw new AppError('CONFLICT', '表彰记录已被他人修改，请刷新后重试');
    await recordAudit(trx, ctx, {
      action,
      entityType: 'recognition',
      entityId: r.id,
      before: audited(r),
      after: audited({ ...r, ...changes }),
    });
    const stored = await findRecognitionRow(trx, r.id);
    if (!stored) throw new AppError('INTERNAL');
    return toRecognition(stored, ctx.user);
  });
}

/** Edit a record's fields (any state; the awarding level's admin; its version). */
export async function updateRecognition(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: RecognitionUpdate,
): Promise<Recognition> {
  return change(db, ctx, id, input.version, 'recognition.update', async (r, _now, trx) => {
    const j = await findJurisdiction(trx, r.jurisdiction_id);
    if (!j) throw new AppError('NOT_FOUND', '表彰记录不存在');
    await checkLinks(trx, j, input.unitId, input.recipientJurisdictionId);
    return {
      year: input.year,
      recipient_kind: input.recipientKind,
      recipient_name: input.recipientName,
      unit_id: input.unitId,
      recipient_jurisdiction_id: input.recipientJurisdictionId,
      level: input.level,
      title: input.title,
      reason: input.reason,
      doc_number: input.docNumber || null,
      awarded_on: input.awardedOn,
      source_text: input.sourceText || null,
      source_ref: input.sourceRef || null,
    };
  });
}

const requireState = (r: RecognitionRow, states: RecognitionState[], message: string) => {
  if (!states.includes(r.state as RecognitionState)) throw new AppError('INVALID_STATE', message);
};

/** 拟表彰 → 已确认. */
export const confirmRecognition = (db: Kysely<Database>, ctx: Ctx, id: string, version: number) =>
  change(db, ctx, id, version, 'recognition.confirm', (r, now) => {
    requireState(r, ['proposed'], '只有拟表彰的记录可以确认');
    return { state: 'confirmed', decided_by: ctx.user?.id ?? null, decided_at: now };
  });

/** 拟表彰 → 未通过. */
export const rejectRecognition = (db: Kysely<Database>, ctx: Ctx, id: string, version: number) =>
  change(db, ctx, id, version, 'recognition.reject', (r, now) => {
    requireState(r, ['proposed'], '只有拟表彰的记录可以不予通过');
    return { state: 'rejected', is_published: 0, decided_by: ctx.user?.id ?? null, decided_at: now };
  });

/** Show a confirmed record on the public site. */
export const publishRecognition = (db: Kysely<Database>, ctx: Ctx, id: string, version: number) =>
  change(db, ctx, id, version, 'recognition.publish', (r) => {
    requireState(r, ['confirmed'], '只有已确认的表彰可以公开');
    return { is_published: 1 };
  });

/** Take a record off the public site. */
export const unpublishRecognition = (db: Kysely<Database>, ctx: Ctx, id: string, version: number) =>
  change(db, ctx, id, version, 'recognition.unpublish', (r) => {
    if (r.is_published !== 1) throw new AppError('INVALID_STATE', '该表彰尚未公开');
    return { is_published: 0 };
  });

/** Delete a record (a mistake; the awarding level's admin). */
export async function deleteRecognition(db: Kysely<Database>, ctx: Ctx, id: string): Promise<{ ok: true }> {
  authorize(ctx, canEditRecognitions, '只有管理员可以删除表彰');
  return db.transaction().execute(async (trx) => {
    const r = await visibleRecord(trx, ctx, id);
    if (!worksIn(ctx.user, r.jurisdiction_id)) throw new AppError('FORBIDDEN', '只能删除本级授予的表彰');
    await deleteRecognitionRow(trx, r.id);
    await recordAudit(trx, ctx, {
      action: 'recognition.delete',
      entityType: 'recognition',
      entityId: r.id,
      before: audited(r),
    });
    return { ok: true as const };
  });
}

/** The filtered list as xlsx or csv (up to 5,000 rows). */
export async function exportRecognitions(
  db: Kysely<Database>,
  ctx: Ctx,
  q: Omit<RecognitionListQuery, 'page' | 'pageSize'>,
  format: ExportFormat,
): Promise<ExportFile> {
  const page = await listRecognitions(db, ctx, { ...q, page: 1, pageSize: 5000 });
  if (page.total > 5000) throw new AppError('PAYLOAD_TOO_LARGE', `导出的行数（${page.total}）过多，请先筛选`);
  return renderTable(
    {
      title: `表彰奖励${q.year ? `（${q.year}年）` : ''}`,
      columns: [
        { header: '年度', value: (r) => r.year },
        { header: '授予单位', value: (r) => r.jurisdictionName, width: 14 },
        { header: '对象类型', value: (r) => RECIPIENT_KIND_LABELS[r.recipientKind] },
        { header: '表彰对象', value: (r) => r.recipientName, width: 24 },
        { header: '级别', value: (r) => r.level },
        { header: '荣誉称号', value: (r) => r.title, width: 28 },
        { header: '事迹或理由', value: (r) => r.reason, width: 40 },
        { header: '文号', value: (r) => r.docNumber, width: 20 },
        { header: '日期', value: (r) => r.awardedOn },
        { header: '状态', value: (r) => RECOGNITION_STATE_LABELS[r.state] },
        { header: '是否公开', value: (r) => (r.isPublished ? '是' : '否') },
        { header: '来源', value: (r) => r.sourceText, width: 24 },
      ],
      rows: page.items,
    },
    format,
  );
}

/** The public list: confirmed and published records, newest year first, with the years that have any. */
export async function publicRecognitions(
  db: Kysely<Database>,
  q: { year?: number | undefined; page: number; pageSize: number },
): Promise<Page<PublicRecognition> & { years: number[] }> {
  const [{ rows, total }, years] = await Promise.all([
    listRecognitionRows(
      db,
      { publicOnly: true, ...(q.year !== undefined ? { year: q.year } : {}) },
      q.page,
      q.pageSize,
    ),
    publicRecognitionYears(db),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      jurisdictionName: r.jurisdiction_name,
      year: r.year,
      recipientKind: r.recipient_kind as RecipientKind,
      recipientName: r.recipient_name,
      level: r.level as RecognitionLevel,
      title: r.title,
      reason: r.reason,
      docNumber: r.doc_number,
      awardedOn: r.awarded_on,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    years,
  };
}
