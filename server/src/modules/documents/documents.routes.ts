import {
  AnnualReportQuerySchema,
  BulletinQuerySchema,
  DocumentKindParamsSchema,
  DocumentPlaceholderValuesSchema,
  DocumentSubjectQuerySchema,
  DocumentTemplateListSchema,
  DocumentTemplatePutSchema,
  DocumentTemplateSchema,
  NoticeDocumentQuerySchema,
  UnitSummaryQuerySchema,
} from '@kesu/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
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

function send(reply: FastifyReply, file: MadeDocument) {
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

/** `assessmentStandings`: replaces where the annual report reads the year's frozen 考核 (default: the assessments module). */
export function documentsRoutes(
  app: FastifyInstance,
  { db, config }: AppDeps,
  extra: { assessmentStandings?: AssessmentStandingsProvider } = {},
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const opts = () => ({ timeZone: config.timeZone, assessmentStandings: extra.assessmentStandings });

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
