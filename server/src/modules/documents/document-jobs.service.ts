import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  type DocumentFormat,
  type DocumentJob,
  type DocumentJobCreate,
  type DocumentJobPhase,
  DocumentJobPhaseSchema,
  type DocumentJobStatus,
  type DocumentKind,
  type DocumentSubjectQuery,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authenticate } from '../../authorize';
import type { Ctx } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type { Database, GeneratedDocumentsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { currentUser } from '../auth/auth.service';
import { newId, nowIso } from '../../ids';
import type { JobQueue } from '../../jobs/job-queue';
import { type FileStorage, openUnder } from '../../storage';
import {
  doneGeneratedDocumentsBefore,
  findActiveGeneratedDocument,
  findGeneratedDocument,
  insertGeneratedDocument,
  transitionGeneratedDocument,
} from './documents.repository';
import {
  checkDocumentAccess,
  type DocumentOptions,
  type DocumentPhase,
  documentSubjectQuery,
  makeDocument,
} from './documents.service';

/**
 * Documents made in the background (issue 17). A request is checked with the GET routes' rules, becomes a row of
 * generated_documents and a job on the queue (keyed by the row's id); whichever node runs the job makes the document
 * with the requester's context (so the same rules are checked again when it is made), stores the file in the file
 * storage and marks the row done. Any node answers the row's status, the job's progress and the file.
 */
export const DOCUMENT_JOB = 'document-generate';
/** Deletes files older than KEEP_HOURS and marks their rows expired; scheduled hourly. */
export const DOCUMENT_CLEANUP_JOB = 'document-cleanup';
const CLEANUP_CRON = '23 * * * *';
/** Hours a generated file is kept (it can be made again). */
export const KEEP_HOURS = 24;
/** Retries of a job whose node died (or that hit an unexpected error); an AppError is the answer and not retried. */
const RETRY_LIMIT = 2;
/** The storage folder of generated files: documents/<year>/<id>.<docx|pdf>. */
const DIR = 'documents';
/**
 * A queued row younger than this whose job the queue does not know is still being enqueued by the node that made it;
 * older, its job is gone (an SQLite process restarted, or a restore brought the row back without one).
 */
const ENQUEUE_GRACE_MS = 60_000;

interface DocumentJobData {
  documentId: string;
  /** The requester at the request; the job reads the user again and makes the document with their rights then. */
  ctx: Ctx;
}

/** Rough share of the work done when each phase starts (the PDF conversion takes about as long as the rest). */
const PERCENT: Record<DocumentFormat, Record<DocumentJobPhase, number>> = {
  docx: { reading: 5, rendering: 50, converting: 80, storing: 90 },
  pdf: { reading: 5, rendering: 30, converting: 50, storing: 95 },
};

const NOT_FOUND = () => new AppError('NOT_FOUND', '文档不存在');
const INTERRUPTED = '生成在服务重启时中断，请重新生成';
const UNEXPECTED = '生成失败，请稍后重试';

function toDocumentJob(row: GeneratedDocumentsTable, progress: DocumentJob['progress'] = null): DocumentJob {
  return {
    id: row.id,
    kind: row.kind as DocumentKind,
    query: JSON.parse(row.query_json) as DocumentSubjectQuery,
    format: row.format as DocumentFormat,
    status: row.status as DocumentJobStatus,
    progress: row.status === 'running' ? progress : null,
    error: row.error,
    errorCode: row.error_code,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** JSON with sorted keys: one text per subject, whatever order the request gave. */
function canonicalJson(q: DocumentSubjectQuery): string {
  return JSON.stringify(Object.fromEntries(Object.entries(q).sort(([a], [b]) => a.localeCompare(b))));
}

/** Mark a row failed (and free its key for a new request) unless it has moved on. */
function failRow(db: Kysely<Database>, id: string, code: string, message: string): Promise<boolean> {
  return transitionGeneratedDocument(db, id, ['queued', 'running'], {
    status: 'failed',
    active_key: null,
    error_code: code,
    error: message,
    finished_at: nowIso(),
  });
}

/**
 * A queued or running row as its job stands: the job's progress while it runs, or the row failed when the queue no
 * longer has a live job for it (the job gave up after its retries, or it was lost with an SQLite process).
 */
async function reconcile(
  db: Kysely<Database>,
  jobs: JobQueue,
  row: GeneratedDocumentsTable,
  now = Date.now(),
): Promise<DocumentJob> {
  if (row.status !== 'queued' && row.status !== 'running') return toDocumentJob(row);
  const job = await jobs.latestByKey(DOCUMENT_JOB, row.id);
  const live = job && (job.state === 'created' || job.state === 'retry' || job.state === 'active');
  const young = now - Date.parse(row.created_at) < ENQUEUE_GRACE_MS;
  if (!live && !(job === null && young)) {
    await failRow(db, row.id, 'INTERNAL', job?.state === 'failed' ? UNEXPECTED : INTERRUPTED);
    const after = await findGeneratedDocument(db, row.id);
    return toDocumentJob(after ?? row);
  }
  const phase = DocumentJobPhaseSchema.safeParse(job?.output?.phase);
  const percent = Number(job?.output?.percent);
  return toDocumentJob(
    row,
    job?.state === 'active' && phase.success && Number.isFinite(percent)
      ? { phase: phase.data, percent }
      : null,
  );
}

/**
 * Start making a document in the background: checked now with the GET routes' rules (404 for those who may not),
 * then queued. The same user asking for the same document (kind, subject, format) while one is queued or running
 * gets that one.
 */
export async function startDocumentJob(
  db: Kysely<Database>,
  jobs: JobQueue,
  ctx: Ctx,
  input: DocumentJobCreate,
): Promise<DocumentJob> {
  authenticate(ctx);
  const query = documentSubjectQuery(input.kind, input.query);
  await checkDocumentAccess(db, ctx, input.kind, query);
  const queryJson = canonicalJson(query);
  const activeKey = createHash('sha256')
    .update([ctx.user.id, input.kind, queryJson, input.format].join('\n'))
    .digest('hex');
  // Twice at most: a row found in flight may turn out to be dead (reconcile fails it and frees the key).
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await findActiveGeneratedDocument(db, activeKey);
    if (existing) {
      const seen = await reconcile(db, jobs, existing);
      if (seen.status === 'queued' || seen.status === 'running') return seen;
      continue;
    }
    const row: GeneratedDocumentsTable = {
      id: newId(),
      kind: input.kind,
      query_json: queryJson,
      format: input.format,
      requested_by: ctx.user.id,
      status: 'queued',
      active_key: activeKey,
      error_code: null,
      error: null,
      file_key: null,
      file_name: null,
      content_type: null,
      size_bytes: null,
      created_at: nowIso(),
      finished_at: null,
    };
    try {
      await insertGeneratedDocument(db, row);
    } catch (err) {
      // Another node inserted the same request a moment ago: share it.
      if (isUniqueViolation(err)) continue;
      throw err;
    }
    const data: DocumentJobData = { documentId: row.id, ctx };
    try {
      await jobs.enqueue(DOCUMENT_JOB, data, { singletonKey: row.id, retryLimit: RETRY_LIMIT });
    } catch (err) {
      await failRow(db, row.id, 'INTERNAL', UNEXPECTED);
      throw err;
    }
    return toDocumentJob(row);
  }
  throw new AppError('CONFLICT', '同样的文档正在生成，请稍后再试');
}

/** The requester's background document: status, progress while running, error or file details. Others: 404. */
export async function getDocumentJob(
  db: Kysely<Database>,
  jobs: JobQueue,
  ctx: Ctx,
  id: string,
): Promise<DocumentJob> {
  authenticate(ctx);
  const row = await findGeneratedDocument(db, id);
  if (!row || row.requested_by !== ctx.user.id) throw NOT_FOUND();
  return reconcile(db, jobs, row);
}

/** The requester's generated file, to stream; 404 for others, 409 while it is being made, 404 once expired. */
export async function openDocumentJobFile(
  db: Kysely<Database>,
  storage: FileStorage,
  ctx: Ctx,
  id: string,
): Promise<{ fileName: string; contentType: string; stream: Readable }> {
  authenticate(ctx);
  const row = await findGeneratedDocument(db, id);
  if (!row || row.requested_by !== ctx.user.id) throw NOT_FOUND();
  if (row.status === 'queued' || row.status === 'running')
    throw new AppError('INVALID_STATE', '文档正在生成，请稍候');
  if (row.status === 'failed') throw new AppError('INVALID_STATE', row.error ?? UNEXPECTED);
  const stream = row.status === 'done' && row.file_key ? await openUnder(storage, DIR, row.file_key) : null;
  if (!stream || !row.file_name || !row.content_type)
    throw new AppError('NOT_FOUND', '文件已过期，请重新生成');
  return { fileName: row.file_name, contentType: row.content_type, stream };
}

/** Delete the files of documents finished more than KEEP_HOURS before `now`; their rows become expired. */
export async function cleanUpGeneratedDocuments(
  db: Kysely<Database>,
  storage: FileStorage,
  now = new Date(),
): Promise<number> {
  const before = nowIso(new Date(now.getTime() - KEEP_HOURS * 3600_000));
  let n = 0;
  for (const row of await doneGeneratedDocumentsBefore(db, before)) {
    // The row first: a download that finds the row expired never reaches a half-deleted file.
    if (!(await transitionGeneratedDocument(db, row.id, ['done'], { status: 'expired' }))) continue;
    if (row.file_key?.startsWith(`${DIR}/`)) await storage.delete(row.file_key);
    n++;
  }
  return n;
}

/**
 * The handlers on the app's queue. Making a document is a pure function of the database: a job retried after its node
 * died makes it again and stores it under the same key (replacing what the dead node may have stored).
 */
export async function registerDocumentJobs(
  jobs: JobQueue,
  db: Kysely<Database>,
  storage: FileStorage,
  opts: () => DocumentOptions,
  concurrency: number,
): Promise<void> {
  await jobs.register<DocumentJobData>(
    DOCUMENT_JOB,
    async (job) => {
      const id = job.data.documentId;
      const row = await findGeneratedDocument(db, id);
      if (!row || !(await transitionGeneratedDocument(db, id, ['queued', 'running'], { status: 'running' })))
        return { skipped: row?.status ?? 'missing' };
      const format = row.format as DocumentFormat;
      const progress = (phase: DocumentJobPhase) => job.progress({ phase, percent: PERCENT[format][phase] });
      let made: Awaited<ReturnType<typeof makeDocument>>;
      try {
        // The requester as they are now: rights taken away since the request are not used.
        const asked = job.data.ctx;
        const user = asked.user ? await currentUser(db, asked.user.id) : null;
        if (!user) throw new AppError('NOT_FOUND', '账号已停用，无法生成文档');
        made = await makeDocument(
          db,
          { ...asked, user },
          row.kind as DocumentKind,
          JSON.parse(row.query_json) as DocumentSubjectQuery,
          format,
          opts(),
          (phase: DocumentPhase) => progress(phase),
        );
      } catch (err) {
        // An AppError is the answer (no LibreOffice, the subject gone, the user no longer allowed): not retried.
        if (err instanceof AppError) {
          await failRow(db, id, err.code, err.message);
          return { failed: err.code };
        }
        if (job.retryCount >= RETRY_LIMIT) await failRow(db, id, 'INTERNAL', UNEXPECTED);
        throw err;
      }
      await progress('storing');
      const key = `${DIR}/${row.created_at.slice(0, 4)}/${id}.${format}`;
      const stored = await storage.put(key, made.body, { replace: true });
      const done = await transitionGeneratedDocument(db, id, ['running'], {
        status: 'done',
        active_key: null,
        file_key: key,
        file_name: made.fileName,
        content_type: made.contentType,
        size_bytes: stored.size,
        finished_at: nowIso(),
      });
      // Failed meanwhile (its status read as dead): no row points to the file, so it goes.
      if (!done) await storage.delete(key);
      return { done };
    },
    { concurrency },
  );
  await jobs.register(DOCUMENT_CLEANUP_JOB, async () => ({
    expired: await cleanUpGeneratedDocuments(db, storage),
  }));
  await jobs.schedule(DOCUMENT_CLEANUP_JOB, CLEANUP_CRON);
}
