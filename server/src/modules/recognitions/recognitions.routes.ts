import {
  IdParamsSchema,
  OkSchema,
  PublicRecognitionPageSchema,
  PublicRecognitionQuerySchema,
  RecognitionExportQuerySchema,
  RecognitionInputSchema,
  RecognitionListQuerySchema,
  RecognitionPageSchema,
  RecognitionProposalsInputSchema,
  RecognitionProposalsResultSchema,
  RecognitionSchema,
  RecognitionUpdateSchema,
  RecognitionsFromAssessmentSchema,
  RecognitionVersionSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { attachmentDisposition } from '../exchange/table-export';
import {
  confirmRecognition,
  createRecognition,
  deleteRecognition,
  exportRecognitions,
  listRecognitions,
  proposeFromAssessment,
  proposeRecognitions,
  publicRecognitions,
  publishRecognition,
  rejectRecognition,
  unpublishRecognition,
  updateRecognition,
} from './recognitions.service';

const tags = ['表彰奖励'];

export function recognitionsRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/recognitions',
    {
      schema: {
        tags,
        summary: '表彰奖励列表（本级及下级授予；按年度、级别、状态筛选）',
        querystring: RecognitionListQuerySchema,
        response: { 200: RecognitionPageSchema },
      },
    },
    (req) => listRecognitions(db.kysely, ctxOf(req), req.query),
  );

  r.post(
    '/api/v1/recognitions',
    {
      schema: {
        tags,
        summary: '记录本级授予的表彰（默认为拟表彰）',
        body: RecognitionInputSchema,
        response: { 200: RecognitionSchema },
      },
    },
    (req) => createRecognition(db.kysely, ctxOf(req), req.body),
  );

  r.post(
    '/api/v1/recognitions/proposals',
    {
      schema: {
        tags,
        summary: '批量提出表彰建议（如来自年度考核排名；一个事务内全部创建为拟表彰）',
        body: RecognitionProposalsInputSchema,
        response: { 200: RecognitionProposalsResultSchema },
      },
    },
    (req) => proposeRecognitions(db.kysely, ctxOf(req), req.body),
  );

  r.post(
    '/api/v1/recognitions/proposals/from-assessment',
    {
      schema: {
        tags,
        summary: '按定稿的年度考核排名提名表彰（前 N 名，并列同计，一票否决者除外；创建为拟表彰）',
        body: RecognitionsFromAssessmentSchema,
        response: { 200: RecognitionProposalsResultSchema },
      },
    },
    (req) => proposeFromAssessment(db.kysely, ctxOf(req), req.body),
  );

  r.get(
    '/api/v1/recognitions/export',
    {
      schema: {
        tags,
        summary: '导出表彰奖励列表（xlsx 或 csv）',
        querystring: RecognitionExportQuerySchema,
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const file = await exportRecognitions(db.kysely, ctxOf(req), q, format);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachmentDisposition(file.fileName))
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );

  r.put(
    '/api/v1/recognitions/:id',
    {
      schema: {
        tags,
        summary: '修改表彰记录（乐观锁版本）',
        params: IdParamsSchema,
        body: RecognitionUpdateSchema,
        response: { 200: RecognitionSchema },
      },
    },
    (req) => updateRecognition(db.kysely, ctxOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/v1/recognitions/:id',
    {
      schema: { tags, summary: '删除表彰记录', params: IdParamsSchema, response: { 200: OkSchema } },
    },
    (req) => deleteRecognition(db.kysely, ctxOf(req), req.params.id),
  );

  const step = (path: string, summary: string, fn: typeof confirmRecognition) =>
    r.post(
      `/api/v1/recognitions/:id/${path}`,
      {
        schema: {
          tags,
          summary,
          params: IdParamsSchema,
          body: RecognitionVersionSchema,
          response: { 200: RecognitionSchema },
        },
      },
      (req) => fn(db.kysely, ctxOf(req), req.params.id, req.body.version),
    );
  step('confirm', '确认表彰（拟表彰 → 已确认）', confirmRecognition);
  step('reject', '不予通过（拟表彰 → 未通过）', rejectRecognition);
  step('publish', '公开已确认的表彰', publishRecognition);
  step('unpublish', '撤回公开', unpublishRecognition);

  r.get(
    '/api/v1/public/recognitions',
    {
      schema: {
        tags,
        summary: '公开的表彰奖励（已确认并公开的记录）',
        querystring: PublicRecognitionQuerySchema,
        response: { 200: PublicRecognitionPageSchema },
      },
    },
    (req) => publicRecognitions(db.kysely, req.query),
  );
}
