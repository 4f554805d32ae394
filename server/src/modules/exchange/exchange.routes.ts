import { authenticate } from '../../authorize';
import fastifyMultipart from '@fastify/multipart';
import {
  ExportParamsSchema,
  ExportQuerySchema,
  TEMPLATE_UPLOAD_MAX_BYTES,
  TemplateQuerySchema,
  TemplateUploadParamsSchema,
  TemplateUploadResultSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { readUploadedFile } from '../../http/upload';
import { exportTable } from './exports.service';
import { attachmentDisposition } from './table-export';
import { applyTemplate, buildTemplate } from './template.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel round-trip of a unit's reports (template download / upload) and table exports (xlsx, csv). */
export function exchangeRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['exchange 导入导出'];

  // POST: the reporter's download opens the unit's missing reports of the cycle (pre-filled), so it is not a safe GET.
  r.post(
    '/api/v1/exchange/templates',
    {
      schema: {
        tags,
        summary: '下载本单位某周期的填报模板（xlsx；本单位的任务×指标×县区，隐藏编号与签名，锁定版式）',
        body: TemplateQuerySchema,
      },
    },
    async (req, reply) => {
      const file = await buildTemplate(db.kysely, ctxOf(req), req.body);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachmentDisposition(file.fileName))
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );

  r.get(
    '/api/v1/exports/:table',
    {
      schema: {
        tags,
        summary: '导出表格（xlsx 或 csv；reports、indicator-status、units、users，筛选条件同列表）',
        params: ExportParamsSchema,
        querystring: ExportQuerySchema,
      },
    },
    async (req, reply) => {
      const { format, ...rest } = req.query;
      const filters = Object.fromEntries(
        Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      const file = await exportTable(db.kysely, ctxOf(req), req.params.table, format, filters);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachmentDisposition(file.fileName))
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );

  // Multipart only in this scope, with the template's own size limit.
  app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: TEMPLATE_UPLOAD_MAX_BYTES, files: 1, fields: 0, parts: 2 },
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/exchange/templates/:cycleId/upload',
      {
        schema: {
          tags,
          summary: '上传填写好的填报模板（multipart 字段 file）：逐行校验，有效行导入，错误行列出',
          consumes: ['multipart/form-data'],
          params: TemplateUploadParamsSchema,
          response: { 200: TemplateUploadResultSchema },
        },
      },
      async (req) => {
        const ctx = ctxOf(req);
        authenticate(ctx);
        const { buffer } = await readUploadedFile(req, {
          maxBytes: TEMPLATE_UPLOAD_MAX_BYTES,
          missingMessage: '请选择要上传的填报模板',
          tooLargeMessage: `文件超过 ${Math.round(TEMPLATE_UPLOAD_MAX_BYTES / 1024 / 1024)} MB 上限，填报模板不会这么大，请确认上传的是本系统下载的模板`,
        });
        return applyTemplate(db.kysely, ctx, req.params.cycleId, buffer);
      },
    );
  });
}
