import { authenticate } from '../../authorize';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Attachment } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database, ReportAttachmentsTable } from '../../db/schema';
import { AppError } from '../../errors';
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

/** Evidence files live in DATA_DIR/attachments/<year>/<generated id> (back this folder up with the database). */
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
  dataDir: string,
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
  const rel = path.join(ATTACHMENT_DIR, now.slice(0, 4), id);
  const abs = path.join(dataDir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true, mode: 0o700 });
  fs.writeFileSync(abs, file.buffer, { flag: 'wx', mode: 0o600 });
  const row: ReportAttachmentsTable = {
    id,
    report_id: reportId,
    file_name: `${displayFileName(file.fileName.replace(/\.[^.]*$/, ''))}.${sniffed.ext}`,
    mime: sniffed.mime,
    size_bytes: file.buffer.length,
    sha256: createHash('sha256').update(file.buffer).digest('hex'),
    storage_path: rel.split(path.sep).join('/'),
    uploaded_by: ctx.user?.id ?? null,
    created_at: now,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await insertAttachmentRow(trx, row);
      await recordAudit(trx, ctx, {
        action: 'report.attachment.add',
        entityType: 'progress_report',
        entityId: reportId,
        after: { id, fileName: row.file_name, mime: row.mime, sizeBytes: row.size_bytes, sha256: row.sha256 },
      });
    });
  } catch (err) {
    fs.rmSync(abs, { force: true });
    throw err;
  }
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
  dataDir: string,
  id: string,
): Promise<{ row: ReportAttachmentsTable; stream: fs.ReadStream }> {
  authenticate(ctx);
  const row = await requireAttachment(db, id);
  await requireReadableReport(db, ctx, row.report_id);
  const abs = path.join(dataDir, row.storage_path);
  if (!abs.startsWith(path.join(dataDir, ATTACHMENT_DIR) + path.sep) || !fs.existsSync(abs)) {
    throw new AppError('NOT_FOUND', '附件文件已不存在');
  }
  return { row, stream: fs.createReadStream(abs) };
}

export async function deleteAttachment(
  db: Kysely<Database>,
  ctx: Ctx,
  dataDir: string,
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
  fs.rmSync(path.join(dataDir, row.storage_path), { force: true });
}
