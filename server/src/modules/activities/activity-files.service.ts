import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ActivityFile } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { ActivityFilesTable, Database } from '../../db/schema';
import { AppError } from '../../errors';
import { type FileStorage, openUnder, storeThenCommit } from '../../storage';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { displayFileName, type Sniffed, sniffAttachment } from '../reporting/attachment-type';
import { countFiles, deleteFileRow, findFileRow, insertFileRow } from './activities.repository';
import { requireEditableActivity, requireReadableActivity } from './activities.service';
import { toActivityFile } from './activity-files.present';

/**
 * Photos and documents of an activity: stored (storage/, FILE_STORAGE) under the key activity-files/<year>/<generated
 * id>, judged by their bytes, never by the name the client sent.
 */
export const ACTIVITY_FILE_DIR = 'activity-files';
export const MAX_FILES_PER_ACTIVITY = 30;

/** What an activity's evidence may be: photos (JPEG, PNG, WebP, HEIC from phones) and PDF/Word/Excel documents. */
const ALLOWED_MIMES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]);

/** ISO-BMFF brands of HEIF/HEIC still images (ISO/IEC 23008-12): what iPhones and many Android phones save. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** Judge an activity file: HEIC by its `ftyp` box, everything else as report evidence is judged, then narrowed. */
export function sniffActivityFile(buf: Buffer, fileName: string): Sniffed {
  const ext = (fileName.split('.').pop() ?? '').toLowerCase();
  if (buf.length >= 12 && buf.toString('latin1', 4, 8) === 'ftyp') {
    const brand = buf.toString('latin1', 8, 12);
    if (!HEIF_BRANDS.has(brand)) return { ok: false, detected: '视频或其他媒体文件' };
    if (ext !== 'heic' && ext !== 'heif')
      return { ok: false, detected: `内容是HEIC 图片，但扩展名为 .${ext || '（无）'}` };
    return { ok: true, mime: 'image/heic', ext, label: 'HEIC 图片' };
  }
  const s = sniffAttachment(buf, fileName);
  if (s.ok && !ALLOWED_MIMES.has(s.mime)) return { ok: false, detected: s.label };
  return s;
}

export async function uploadActivityFile(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  activityId: string,
  file: { buffer: Buffer; fileName: string },
): Promise<ActivityFile> {
  await requireEditableActivity(db, ctx, activityId);
  const sniffed = sniffActivityFile(file.buffer, file.fileName);
  if (!sniffed.ok)
    throw new AppError(
      'ATTACHMENT_REFUSED',
      `不接受该文件（${sniffed.detected}）：活动照片和材料只能是 JPEG、PNG、WebP、HEIC 图片或 PDF、Word（.docx）、Excel（.xlsx）文档`,
      { detected: sniffed.detected },
    );
  if ((await countFiles(db, activityId)) >= MAX_FILES_PER_ACTIVITY)
    throw new AppError('INVALID_STATE', `每个活动最多 ${MAX_FILES_PER_ACTIVITY} 个照片或附件`);
  const id = newId();
  const now = nowIso();
  const rel = [ACTIVITY_FILE_DIR, now.slice(0, 4), id].join('/');
  const row: ActivityFilesTable = {
    id,
    activity_id: activityId,
    file_name: `${displayFileName(file.fileName.replace(/\.[^.]*$/, ''))}.${sniffed.ext}`,
    mime: sniffed.mime,
    size_bytes: file.buffer.length,
    sha256: createHash('sha256').update(file.buffer).digest('hex'),
    storage_path: rel,
    uploaded_by: ctx.user?.id ?? null,
    created_at: now,
  };
  await storeThenCommit(storage, rel, file.buffer, () =>
    db.transaction().execute(async (trx) => {
      await insertFileRow(trx, row);
      await recordAudit(trx, ctx, {
        action: 'activity.file.add',
        entityType: 'activity',
        entityId: activityId,
        after: { id, fileName: row.file_name, mime: row.mime, sizeBytes: row.size_bytes, sha256: row.sha256 },
      });
    }),
  );
  return toActivityFile(row);
}

async function requireFile(db: Kysely<Database>, activityId: string, fileId: string) {
  const row = await findFileRow(db, activityId, fileId);
  if (!row) throw new AppError('NOT_FOUND', '附件不存在');
  return row;
}

/** The file for whoever reads the activity. */
export async function readActivityFile(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  activityId: string,
  fileId: string,
): Promise<{ row: ActivityFilesTable; stream: Readable }> {
  await requireReadableActivity(db, ctx, activityId);
  const row = await requireFile(db, activityId, fileId);
  const stream = await openUnder(storage, ACTIVITY_FILE_DIR, row.storage_path);
  if (!stream) throw new AppError('NOT_FOUND', '附件文件已不存在');
  return { row, stream };
}

export async function deleteActivityFile(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  activityId: string,
  fileId: string,
): Promise<void> {
  await requireEditableActivity(db, ctx, activityId);
  const row = await requireFile(db, activityId, fileId);
  await db.transaction().execute(async (trx) => {
    await deleteFileRow(trx, fileId);
    await recordAudit(trx, ctx, {
      action: 'activity.file.remove',
      entityType: 'activity',
      entityId: activityId,
      before: { id: fileId, fileName: row.file_name, sha256: row.sha256 },
    });
  });
  await storage.delete(row.storage_path);
}
