import {
  AnnualReportQuerySchema,
  BulletinQuerySchema,
  DocumentJobCreateSchema,
  DocumentJobSchema,
  DocumentKindParamsSchema,
  DocumentPlaceholderValuesSchema,
  DocumentSubjectQuerySchema,
  DocumentTemplateListSchema,
  DocumentTemplatePutSchema,
  DocumentTemplateSchema,
  IdParamsSchema,
  NoticeDocumentQuerySchema,
  UnitSummaryQuerySchema,
} from '@kesu/shared';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type AppDeps, jobsOf, storageOf } from '../../deps';
import { ctxOf } from '../../http/request';
import {
  getDocumentJob,
  openDocumentJobFile,
  registerDocumentJobs,
  startDocumentJob,
} from './document-jobs.service';
import {
  type AssessmentStandingsProvider,
  documentPlaceholderValues,
  listDocumentTemplates,
  type MadeDocument,
  makeAnnualReport,
  makeBulletin,
  makeNoticeDocument,
  makeUnitSummary,
  saveDocumentTemplate,
} from './documents.service';

const tags = ['documents 文档生成'];

/** A document's bytes (made now, or a stored file as a stream) with its download headers. */
function send(
  reply: FastifyReply,
  file: Pick<MadeDocument, 'fileName' | 'contentType'> & { body: MadeDocument['body'] | Readable },
) {
  const ext = file.fileName.split('.').pop() ?? 'bin';
  return reply
    .header('content-type', file.contentType)
    .header(
      'content-disposition',
      `attachment; filename="document.${ext}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('cache-control', 'private, no-store')
    .send(file.body);
}

/** Documents a node makes at once in the background (each takes a worker thread while packing, LibreOffice for PDF). */
const JOB_CONCURRENCY = 2;

/** `assessmentStandings`: replaces where the annual report reads the year's frozen 考核 (default: the assessments module). */
export async function documentsRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  extra: { assessmentStandings?: AssessmentStandingsProvider } = {},
): Promise<void> {
  const { db, config } = deps;
  const jobs = jobsOf(deps);
  const storage = storageOf(deps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const opts = () => ({ timeZone: config.timeZone, assessmentStandings: extra.assessmentStandings });
  await registerDocumentJobs(jobs, db.kysely, storage, opts, JOB_CONCURRENCY);

  r.post(
    '/api/v1/documents/jobs',
    {
      schema: {
        tags,
        summary: '在后台生成文档（与对应 GET 接口同样的权限；同一用户相同的请求在生成中时返回同一个任务）',
        body: DocumentJobCreateSchema,
        response: { 202: DocumentJobSchema },
      },
    },
    async (req, reply) =>
      reply.status(202).send(await startDocumentJob(db.kysely, jobs, ctxOf(req), req.body)),
  );
  r.get(
    '/api/v1/documents/jobs/:id',
    {
      schema: {
        tags,
        summary: '后台生成文档的状态与进度（仅限发起人）',
        params: IdParamsSchema,
        response: { 200: DocumentJobSchema },
      },
    },
    (req) => getDocumentJob(db.kysely, jobs, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/documents/jobs/:id/file',
    {
      schema: {
        tags,
        summary: '下载后台生成的文档（仅限发起人；保留一天）',
        params: IdParamsSchema,
      },
    },
    async (req, reply) => {
      const file = await openDocumentJobFile(db.kysely, storage, ctxOf(req), req.params.id);
      return send(reply, { ...file, body: file.stream });
    },
  );

  r.get(
    '/api/v1/documents/bulletin',
    {
      schema: {
        tags,
        summary: '填报周期的进展通报（Word 或 PDF；本级管理员、领导、分析员）',
        querystring: BulletinQuerySchema,
      },
    },
    async (req, reply) => send(reply, await makeBulletin(db.kysely, ctxOf(req), req.query, opts())),
  );
  r.get(
    '/api/v1/documents/annual-report',
    {
      schema: {
        tags,
        summary: '规划的年度实施情况报告（Word 或 PDF；本级管理员、领导、分析员）',
        querystring: AnnualReportQuerySchema,
      },
    },
    async (req, reply) => send(reply, await makeAnnualReport(db.kysely, ctxOf(req), req.query, opts())),
  );
  r.get(
    '/api/v1/documents/notice',
    {
      schema: {
        tags,
        summary: '督办通知书（Word 或 PDF；能查看该督办单的人）',
        querystring: NoticeDocumentQuerySchema,
      },
    },
    async (req, reply) => send(reply, await makeNoticeDocument(db.kysely, ctxOf(req), req.query, opts())),
  );
  r.get(
    '/api/v1/documents/unit-summary',
    {
      schema: {
        tags,
        summary: '单位年度工作总结（Word 或 PDF；本单位人员，或本级管理员、领导、分析员）',
        querystring: UnitSummaryQuerySchema,
      },
    },
    async (req, reply) => send(reply, await makeUnitSummary(db.kysely, ctxOf(req), req.query, opts())),
  );
  r.get(
    '/api/v1/documents/templates',
    {
      schema: {
        tags,
        summary: '本级各类文档的模板与可用占位符（管理员）',
        response: { 200: DocumentTemplateListSchema },
      },
    },
    (req) => listDocumentTemplates(db.kysely, ctxOf(req)),
  );
  r.put(
    '/api/v1/documents/templates/:kind',
    {
      schema: {
        tags,
        summary: '保存本级某类文档的模板（管理员；只能使用该类文档的占位符；乐观锁版本）',
        params: DocumentKindParamsSchema,
        body: DocumentTemplatePutSchema,
        response: { 200: DocumentTemplateSchema },
      },
    },
    (req) => saveDocumentTemplate(db.kysely, ctxOf(req), req.params.kind, req.body),
  );
  r.get(
    '/api/v1/documents/templates/:kind/values',
    {
      schema: {
        tags,
        summary: '某个周期、年度、督办单或单位的占位符当前取值（管理员预览模板用）',
        params: DocumentKindParamsSchema,
        querystring: DocumentSubjectQuerySchema,
        response: { 200: DocumentPlaceholderValuesSchema },
      },
    },
    (req) => documentPlaceholderValues(db.kysely, ctxOf(req), req.params.kind, req.query, opts()),
  );
}
