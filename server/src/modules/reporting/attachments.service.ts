import { authenticate } from '../../authorize';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Attachment } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database, ReportAttachmentsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { type FileStorage, openUnder, storeThenCommit } from '../../storage';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { displayFileName, sniffAttachment } from './attachment-type';
import { requireCycle } from './cycles.service';
import { toAttachment } from './reporting.present';
import {
  attachmentRows,
  deleteAttachmentRow,
  findAttachmentRow,
  insertAttachmentRow,
} from './reporting.repository';
import { assertEditable, requireReadableReport } from './reports.service';

/** Evidence files are stored (storage/, FILE_STORAGE) under the key attachments/<year>/<generated id>. */
export const ATTACHMENT_DIR = 'attachments';
/** At most this many files per report. */
export const MAX_ATTACHMENTS_PER_REPORT = 30;

/**
 * Store an uploaded evidence file of a report: only the owner unit while it may edit; the type is judged by the
 * bytes (see attachment-type.ts); the file is written under a generated name, never a path from the client.
 */
export async function uploadAttachment(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  reportId: string,
  file: { buffer: Buffer; fileName: string },
): Promise<Attachment> {
  const report = await requireReadableReport(db, ctx, reportId);
  const cycle = await requireCycle(db, report.cycle_id);
  assertEditable(ctx, report, cycle, null);
  const sniffed = sniffAttachment(file.buffer, file.fileName);
  if (!sniffed.ok) {
    throw new AppError(
      'ATTACHMENT_REFUSED',
      `不接受该文件（${sniffed.detected}）：佐证材料只能是 PDF、图片或 Office 文档`,
      {
        detected: sniffed.detected,
      },
    );
  }
  if ((await attachmentRows(db, reportId)).length >= MAX_ATTACHMENTS_PER_REPORT) {
    throw new AppError('INVALID_STATE', `每份报告最多 ${MAX_ATTACHMENTS_PER_REPORT} 个附件`);
  }
  const id = newId();
  const now = nowIso();
  const key = `${ATTACHMENT_DIR}/${now.slice(0, 4)}/${id}`;
  const row: ReportAttachmentsTable = {
    id,
    report_id: reportId,
    file_name: `${displayFileName(file.fileName.replace(/\.[^.]*$/, ''))}.${sniffed.ext}`,
    mime: sniffed.mime,
    size_bytes: file.buffer.length,
    sha256: createHash('sha256').update(file.buffer).digest('hex'),
    storage_path: key,
    uploaded_by: ctx.user?.id ?? null,
    created_at: now,
  };
  await storeThenCommit(storage, key, file.buffer, () =>
    db.transaction().execute(async (trx) => {
      await insertAttachmentRow(trx, row);
      await recordAudit(trx, ctx, {
        action: 'report.attachment.add',
        entityType: 'progress_report',
        entityId: reportId,
        after: { id, fileName: row.file_name, mime: row.mime, sizeBytes: row.size_bytes, sha256: row.sha256 },
      });
    }),
  );
  return toAttachment(row);
}

async function requireAttachment(db: Kysely<Database>, id: string): Promise<ReportAttachmentsTable> {
  const row = await findAttachmentRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '附件不存在');
  return row;
}

/** The file and its headers' facts, for whoever may read the report. */
export async function readAttachment(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  id: string,
): Promise<{ row: ReportAttachmentsTable; stream: Readable }> {
  authenticate(ctx);
  const row = await requireAttachment(db, id);
  await requireReadableReport(db, ctx, row.report_id);
  const stream = await openUnder(storage, ATTACHMENT_DIR, row.storage_path);
  if (!stream) throw new AppError('NOT_FOUND', '附件文件已不存在');
  return { row, stream };
}

export async function deleteAttachment(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  id: string,
): Promise<void> {
  authenticate(ctx);
  const row = await requireAttachment(db, id);
  const report = await requireReadableReport(db, ctx, row.report_id);
  const cycle = await requireCycle(db, report.cycle_id);
  assertEditable(ctx, report, cycle, null);
  await db.transaction().execute(async (trx) => {
    await deleteAttachmentRow(trx, id);
    await recordAudit(trx, ctx, {
      action: 'report.attachment.remove',
      entityType: 'progress_report',
      entityId: report.id,
      before: { id, fileName: row.file_name, sha256: row.sha256 },
    });
  });
  await storage.delete(row.storage_path);
}
