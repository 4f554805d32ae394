import fastifyMultipart from '@fastify/multipart';
import {
  OkSchema,
  PublicVenueListSchema,
  PublicVenueQuerySchema,
  REGISTRY_IMPORT_MAX_BYTES,
  RegistryDetailSchema,
  RegistryExportQuerySchema,
  RegistryHistorySchema,
  RegistryImportResultSchema,
  RegistryKindParamsSchema,
  RegistryListQuerySchema,
  RegistryPageSchema,
  RegistryRecordInputSchema,
  RegistryRecordParamsSchema,
  RegistryRecordUpdateSchema,
  RegistryWithdrawSchema,
  VolunteerServiceInputSchema,
  VolunteerServiceListSchema,
} from '@kesu/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate } from '../../authorize';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { readUploadedFile } from '../../http/upload';
import { attachmentDisposition, type ExportFile } from '../exchange/table-export';
import { exportRegistry, importRegistry, registryTemplate } from './registries-io.service';
import {
  addVolunteerService,
  createRegistryRecord,
  deleteRegistryRecord,
  getRegistryRecord,
  listPublicVenues,
  listRegistry,
  listVolunteerServices,
  registryHistory,
  updateRegistryRecord,
  withdrawRegistryRecord,
} from './registries.service';

const VolunteerParamsSchema = z.object({ id: RegistryRecordParamsSchema.shape.id });

function sendFile(reply: FastifyReply, file: ExportFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('cache-control', 'private, no-store')
    .send(file.body);
}

/** The registries (资源库, issue 13): list, detail, edit, 摘牌, history, import/export; the public venue list. */
export function registriesRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registries 资源库'];
  const tz = config.timeZone;

  r.get(
    '/api/v1/public/venues',
    {
      schema: {
        tags,
        summary: '公众：对公众开放且今日在册的科普教育基地和科技馆',
        querystring: PublicVenueQuerySchema,
        response: { 200: PublicVenueListSchema },
      },
    },
    (req) => listPublicVenues(db.kysely, req.query.jurisdictionId, tz),
  );
  r.get(
    '/api/v1/registries/volunteer/:id/services',
    {
      schema: {
        tags,
        summary: '志愿者的服务记录及时长合计',
        params: VolunteerParamsSchema,
        response: { 200: VolunteerServiceListSchema },
      },
    },
    (req) => listVolunteerServices(db.kysely, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/registries/volunteer/:id/services',
    {
      schema: {
        tags,
        summary: '登记志愿者的一次服务（日期、时长、内容、可关联科普活动）',
        params: VolunteerParamsSchema,
        body: VolunteerServiceInputSchema,
        response: { 201: VolunteerServiceListSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await addVolunteerService(db.kysely, ctxOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/v1/registries/:kind/export',
    {
      schema: {
        tags,
        summary: '导出资源库（xlsx 或 csv，筛选条件同列表）',
        params: RegistryKindParamsSchema,
        querystring: RegistryExportQuerySchema,
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      return sendFile(reply, await exportRegistry(db.kysely, ctxOf(req), req.params.kind, q, format, tz));
    },
  );
  r.get(
    '/api/v1/registries/:kind/template',
    {
      schema: {
        tags,
        summary: '下载该类资源的导入模板（xlsx，中文表头，级别下拉）',
        params: RegistryKindParamsSchema,
      },
    },
    async (req, reply) => sendFile(reply, await registryTemplate(ctxOf(req), req.params.kind)),
  );
  r.get(
    '/api/v1/registries/:kind',
    {
      schema: {
        tags,
        summary: '资源库列表（本级及下级；级别、类别、状态（截至某日）、年度、单位、搜索）',
        params: RegistryKindParamsSchema,
        querystring: RegistryListQuerySchema,
        response: { 200: RegistryPageSchema },
      },
    },
    (req) => listRegistry(db.kysely, ctxOf(req), req.params.kind, req.query, tz),
  );
  r.post(
    '/api/v1/registries/:kind',
    {
      schema: {
        tags,
        summary: '登记一条资源记录',
        params: RegistryKindParamsSchema,
        body: RegistryRecordInputSchema,
        response: { 201: RegistryDetailSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await createRegistryRecord(db.kysely, ctxOf(req), req.params.kind, req.body, tz)),
  );
  r.get(
    '/api/v1/registries/:kind/:id',
    {
      schema: {
        tags,
        summary: '资源记录详情',
        params: RegistryRecordParamsSchema,
        response: { 200: RegistryDetailSchema },
      },
    },
    (req) => getRegistryRecord(db.kysely, ctxOf(req), req.params.kind, req.params.id, tz),
  );
  r.put(
    '/api/v1/registries/:kind/:id',
    {
      schema: {
        tags,
        summary: '修改资源记录（带 version，乐观并发）',
        params: RegistryRecordParamsSchema,
        body: RegistryRecordUpdateSchema,
        response: { 200: RegistryDetailSchema },
      },
    },
    (req) => updateRegistryRecord(db.kysely, ctxOf(req), req.params.kind, req.params.id, req.body, tz),
  );
  r.post(
    '/api/v1/registries/:kind/:id/withdraw',
    {
      schema: {
        tags,
        summary: '摘牌（撤销、注销、解聘、闭馆）：自该日起不再计入',
        params: RegistryRecordParamsSchema,
        body: RegistryWithdrawSchema,
        response: { 200: RegistryDetailSchema },
      },
    },
    (req) => withdrawRegistryRecord(db.kysely, ctxOf(req), req.params.kind, req.params.id, req.body, tz),
  );
  r.delete(
    '/api/v1/registries/:kind/:id',
    {
      schema: {
        tags,
        summary: '删除误录的记录（已被引用的不能删除）',
        params: RegistryRecordParamsSchema,
        response: { 200: OkSchema },
      },
    },
    (req) => deleteRegistryRecord(db.kysely, ctxOf(req), req.params.kind, req.params.id),
  );
  r.get(
    '/api/v1/registries/:kind/:id/history',
    {
      schema: {
        tags,
        summary: '资源记录的修改历史（谁、何时、改了什么）',
        params: RegistryRecordParamsSchema,
        response: { 200: RegistryHistorySchema },
      },
    },
    (req) => registryHistory(db.kysely, ctxOf(req), req.params.kind, req.params.id, tz),
  );

  // Multipart only in this scope, with the import's own size limit.
  app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: REGISTRY_IMPORT_MAX_BYTES, files: 1, fields: 0, parts: 2 },
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/registries/:kind/import',
      {
        schema: {
          tags,
          summary: '导入填写好的模板（multipart 字段 file）：逐行校验，任何一行有错则全部不导入',
          consumes: ['multipart/form-data'],
          params: RegistryKindParamsSchema,
          response: { 200: RegistryImportResultSchema },
        },
      },
      async (req) => {
        const ctx = ctxOf(req);
        authenticate(ctx);
        const { buffer } = await readUploadedFile(req, {
          maxBytes: REGISTRY_IMPORT_MAX_BYTES,
          missingMessage: '请选择要导入的 Excel 文件',
        });
        return importRegistry(db.kysely, ctx, req.params.kind, buffer);
      },
    );
  });
}
