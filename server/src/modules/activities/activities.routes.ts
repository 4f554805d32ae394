import fastifyMultipart from '@fastify/multipart';
import {
  ActivityDetailSchema,
  ActivityExportQuerySchema,
  ActivityFileParamsSchema,
  ActivityFileSchema,
  ActivityInputSchema,
  ActivityListQuerySchema,
  ActivityPageSchema,
  ActivityUpdateSchema,
  CoverageQuerySchema,
  CoverageSchema,
  IdParamsSchema,
  PublicActivityQuerySchema,
  PublicCalendarSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { authenticate } from '../../authorize';
import { type AppDeps, storageOf } from '../../deps';
import { ctxOf } from '../../http/request';
import { readUploadedFile } from '../../http/upload';
import {
  createActivity,
  deleteActivity,
  getActivity,
  listActivities,
  updateActivity,
} from './activities.service';
import { attachmentDisposition } from '../exchange/table-export';
import { exportActivities } from './activities-io.service';
import { deleteActivityFile, readActivityFile, uploadActivityFile } from './activity-files.service';
import { getCoverage } from './coverage.service';
import { publicCalendar } from './public-calendar.service';

const tags = ['科普活动'];

export function activitiesRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db, config } = deps;
  const storage = storageOf(deps);
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/activities',
    {
      schema: {
        tags,
        summary: '科普活动列表（本级及下级；联合活动标注合并计数）',
        querystring: ActivityListQuerySchema,
        response: { 200: ActivityPageSchema },
      },
    },
    (req) => listActivities(db.kysely, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/activities/export',
    {
      schema: {
        tags,
        summary: '导出科普活动（xlsx 或 csv，筛选条件同列表；联合活动注明计入哪份报告）',
        querystring: ActivityExportQuerySchema,
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const file = await exportActivities(db.kysely, ctxOf(req), q, format);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachmentDisposition(file.fileName))
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );
  r.get(
    '/api/v1/activities/:id',
    {
      schema: {
        tags,
        summary: '科普活动详情（含照片和附件）',
        params: IdParamsSchema,
        response: { 200: ActivityDetailSchema },
      },
    },
    (req) => getActivity(db.kysely, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/activities',
    {
      schema: {
        tags,
        summary: '上报科普活动（填报单位：本单位主办；管理员：本级单位）；同日同地同名的联合活动只计一次',
        body: ActivityInputSchema,
        response: { 201: ActivityDetailSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await createActivity(db.kysely, ctxOf(req), req.body)),
  );
  r.put(
    '/api/v1/activities/:id',
    {
      schema: {
        tags,
        summary: '修改科普活动（带版本号，他人已修改时 409）',
        params: IdParamsSchema,
        body: ActivityUpdateSchema,
        response: { 200: ActivityDetailSchema },
      },
    },
    (req) => updateActivity(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.delete(
    '/api/v1/activities/:id',
    {
      schema: {
        tags,
        summary: '删除科普活动（联合活动中计数的一条删除后，下一条上报的改为计数）',
        params: IdParamsSchema,
      },
    },
    async (req, reply) => {
      await deleteActivity(db.kysely, ctxOf(req), storage, req.params.id);
      return reply.status(204).send();
    },
  );
  r.get(
    '/api/v1/activities/:id/files/:fileId',
    {
      schema: { tags, summary: '下载活动照片或附件（能查看该活动的用户）', params: ActivityFileParamsSchema },
    },
    async (req, reply) => {
      const { row, stream } = await readActivityFile(
        db.kysely,
        ctxOf(req),
        storage,
        req.params.id,
        req.params.fileId,
      );
      return reply
        .header('content-type', row.mime)
        .header('content-length', String(row.size_bytes))
        .header(
          'content-disposition',
          `${row.mime.startsWith('image/') ? 'inline' : 'attachment'}; filename="file.${row.file_name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(row.file_name)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(stream);
    },
  );
  r.delete(
    '/api/v1/activities/:id/files/:fileId',
    { schema: { tags, summary: '删除活动照片或附件', params: ActivityFileParamsSchema } },
    async (req, reply) => {
      await deleteActivityFile(db.kysely, ctxOf(req), storage, req.params.id, req.params.fileId);
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/v1/coverage',
    {
      schema: {
        tags,
        summary: '科普活动覆盖面：各县区当年参与人次 ÷ 常住人口，对照 80%（人次，不是人数）',
        querystring: CoverageQuerySchema,
        response: { 200: CoverageSchema },
      },
    },
    (req) => getCoverage(db.kysely, ctxOf(req), config.timeZone, req.query),
  );

  r.get(
    '/api/v1/public/activities',
    {
      schema: {
        tags,
        summary: '公开活动日历：即将举办的科普活动（无需登录；联合活动只列一次）',
        querystring: PublicActivityQuerySchema,
        response: { 200: PublicCalendarSchema },
      },
    },
    (req) => publicCalendar(db.kysely, config.timeZone, req.query),
  );

  // Multipart only in this scope: photos and files, with the evidence size limit (REPORT_ATTACHMENT_MAX_MB).
  app.register(async (scope) => {
    const maxBytes = config.reportAttachmentMaxBytes;
    await scope.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 2 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/activities/:id/files',
      {
        schema: {
          tags,
          summary:
            '上传活动照片或附件（JPEG/PNG/WebP/HEIC、PDF、docx、xlsx；按内容判断类型；multipart 字段 file）',
          consumes: ['multipart/form-data'],
          params: IdParamsSchema,
          response: { 201: ActivityFileSchema },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        authenticate(ctx);
        const file = await readUploadedFile(req, { maxBytes });
        return reply.status(201).send(await uploadActivityFile(db.kysely, ctx, storage, req.params.id, file));
      },
    );
  });
}
