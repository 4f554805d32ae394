import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AssessmentFile } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { AssessmentFilesTable, Database } from '../../db/schema';
import { AppError } from '../../errors';
import { type FileStorage, openUnder, storeThenCommit } from '../../storage';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { displayFileName, sniffAttachment } from '../reporting/attachment-type';
import { insertFileRow } from './assessments.repository';
import { fileTarget, readableFile } from './assessments.service';

/**
 * Evidence and appeal files of 考核: stored (storage/, FILE_STORAGE) under the key assessment-files/<year>/<generated
 * id>, judged by their bytes as report evidence is, never by the name the client sent.
 */
export const ASSESSMENT_FILE_DIR = 'assessment-files';

export async function uploadAssessmentFile(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  timeZone: string,
  rubricId: string,
  target: { itemId: string; subjectId: string } | { appealId: string },
  file: { buffer: Buffer; fileName: string },
): Promise<AssessmentFile> {
  const t = await fileTarget(db, ctx, timeZone, rubricId, target);
  const sniffed = sniffAttachment(file.buffer, file.fileName);
  if (!sniffed.ok)
    throw new AppError(
      'ATTACHMENT_REFUSED',
      `不接受该文件（${sniffed.detected}）：佐证材料只能是 PDF、图片或 Office 文档，按文件内容判断`,
      { detected: sniffed.detected },
    );
  const id = newId();
  const now = nowIso();
  const rel = [ASSESSMENT_FILE_DIR, now.slice(0, 4), id].join('/');
  const row: AssessmentFilesTable = {
    id,
    rubric_id: rubricId,
    item_id: t.itemId,
    subject_id: t.subjectId,
    appeal_id: t.appealId,
    note: null,
    link: null,
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
        action: t.appealId ? 'assessment.appeal.file' : 'assessment.evidence.file',
        entityType: 'assessment_rubric',
        entityId: rubricId,
        after: { id, 对象: t.subjectId, 申诉: t.appealId, fileName: row.file_name, sha256: row.sha256 },
      });
    }),
  );
  return { id, fileName: row.file_name, note: null, link: null, createdAt: now };
}

/** The bytes of a file the user may read (a note or link has none). */
export async function readAssessmentFile(
  db: Kysely<Database>,
  ctx: Ctx,
  storage: FileStorage,
  rubricId: string,
  fileId: string,
): Promise<{ row: AssessmentFilesTable; stream: Readable }> {
  const row = await readableFile(db, ctx, rubricId, fileId);
  if (!row.storage_path) throw new AppError('NOT_FOUND', '该佐证是说明或链接，没有文件');
  const stream = await openUnder(storage, ASSESSMENT_FILE_DIR, row.storage_path);
  if (!stream) throw new AppError('NOT_FOUND', '附件文件已不存在');
  return { row, stream };
}
