import { authenticate } from '../../authorize';
import fastifyMultipart from '@fastify/multipart';
import {
  IdParamsSchema,
  IndicatorSchema,
  IndicatorUpdateSchema,
  LIMITS,
  PlanDetailSchema,
  PlanDiffSchema,
  PlanImportResultSchema,
  PlanImportSchema,
  PlanListQuerySchema,
  PlanPageSchema,
  PlanPreviewSchema,
  PlanPublishSchema,
  PlanTaskSchema,
  PlanTreeQuerySchema,
  PlanTreeSchema,
  PlanVersionParamsSchema,
  TaskUpdateSchema,
  UnitTaskPageSchema,
  UnitTasksQuerySchema,
  RowVersionSchema,
  PlanLinksSchema,
  TaskLinksUpdateSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { readUploadedFile } from '../../http/upload';
import { getPlanLinks, proposePlanLinks, setTaskLinks } from './plan-links.service';
import { planToXlsx } from './plans.export';
import {
  getPlan,
  getPlanTree,
  getPublishedPlanTree,
  getVersionDiff,
  getVersionSource,
  importPlan,
  listPlans,
  listUnitTasks,
  planForExport,
  previewPlanImport,
  publishVersion,
  updateIndicator,
  updateTask,
} from './plans.service';

/** The import body carries the whole corrected draft, source text included: allow what a 10 MB file becomes. */
const IMPORT_BODY_LIMIT = LIMITS.uploadBytes * 4;

/** Multipart errors of @fastify/multipart, answered in our error format. */
export function plansRoutes(app: FastifyInstance, { db }: AppDeps): void {
  // Multipart is registered only in this scope: no other route accepts uploads by accident.
  app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: LIMITS.uploadBytes, files: 1, fields: 5, parts: 6 },
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['plans 规划'];

    r.post(
      '/api/v1/plans/preview',
      {
        schema: {
          tags,
          summary:
            '上传规划文档（Word .docx/.doc、WPS、PDF、网页 .html/.mhtml 或 .txt，≤10 MB），返回解析结果预览与待核对清单，不写入数据库',
          consumes: ['multipart/form-data'],
          response: { 200: PlanPreviewSchema },
        },
      },
      async (req) => {
        const ctx = ctxOf(req);
        authenticate(ctx);
        const { buffer, fileName } = await readUploadedFile(req, { maxBytes: LIMITS.uploadBytes });
        return previewPlanImport(db.kysely, ctx, buffer, fileName || null);
      },
    );

    r.post(
      '/api/v1/plans/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          summary: '导入（校正后的）规划：新规划或已有规划的新版本；一个事务',
          body: PlanImportSchema,
          response: { 201: PlanImportResultSchema },
        },
      },
      async (req, reply) => reply.status(201).send(await importPlan(db.kysely, ctxOf(req), req.body)),
    );

    r.get(
      '/api/v1/plans',
      {
        schema: {
          tags,
          summary: '规划列表',
          querystring: PlanListQuerySchema,
          response: { 200: PlanPageSchema },
        },
      },
      (req) => listPlans(db.kysely, ctxOf(req), req.query),
    );

    r.get(
      '/api/v1/plans/unit-tasks',
      {
        schema: {
          tags,
          summary: '某单位（默认本单位）在各规划最新版本中的任务',
          querystring: UnitTasksQuerySchema,
          response: { 200: UnitTaskPageSchema },
        },
      },
      (req) => listUnitTasks(db.kysely, ctxOf(req), req.query),
    );

    r.get(
      '/api/v1/plans/:id',
      {
        schema: {
          tags,
          summary: '规划及其版本',
          params: IdParamsSchema,
          response: { 200: PlanDetailSchema },
        },
      },
      (req) => getPlan(db.kysely, ctxOf(req), req.params.id),
    );

    r.get(
      '/api/v1/plans/:id/tree',
      {
        schema: {
          tags,
          summary: '规划任务树（默认最新版本），可按单位、重点人群、县区筛选',
          params: IdParamsSchema,
          querystring: PlanTreeQuerySchema,
          response: { 200: PlanTreeSchema },
        },
      },
      (req) => getPlanTree(db.kysely, ctxOf(req), req.params.id, req.query),
    );

    r.get(
      '/api/v1/plans/:id/versions/:versionId/diff',
      {
        schema: {
          tags,
          summary: '该版本相对上一版本的变化',
          params: PlanVersionParamsSchema,
          response: { 200: PlanDiffSchema },
        },
      },
      (req) => getVersionDiff(db.kysely, ctxOf(req), req.params.id, req.params.versionId),
    );

    r.get(
      '/api/v1/plans/:id/versions/:versionId/source',
      {
        schema: {
          tags,
          summary: '该版本的文档原文（规范化后）',
          params: PlanVersionParamsSchema,
          response: { 200: z.object({ sourceText: z.string(), warnings: z.array(z.string()) }) },
        },
      },
      (req) => getVersionSource(db.kysely, ctxOf(req), req.params.id, req.params.versionId),
    );

    r.get(
      '/api/v1/plans/:id/export.xlsx',
      {
        schema: {
          tags,
          summary: '导出 Excel：每个任务×责任单位一行；每个指标一行',
          params: IdParamsSchema,
          querystring: z.object({ versionId: PlanTreeQuerySchema.shape.versionId }),
        },
      },
      async (req, reply) => {
        const tree = await planForExport(db.kysely, ctxOf(req), req.params.id, req.query.versionId);
        const name = `${tree.plan.title}-第${tree.version.number}版.xlsx`;
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header(
            'content-disposition',
            `attachment; filename="plan.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
          )
          .send(await planToXlsx(tree));
      },
    );

    r.post(
      '/api/v1/plans/:id/publish',
      {
        schema: {
          tags,
          summary: '公开发布某一版本（公众可读），并撤下此前发布的版本',
          params: IdParamsSchema,
          body: PlanPublishSchema,
          response: { 200: PlanDetailSchema },
        },
      },
      (req) => publishVersion(db.kysely, ctxOf(req), req.params.id, req.body),
    );

    r.post(
      '/api/v1/plans/:id/unpublish',
      {
        schema: {
          tags,
          summary: '撤下已公开发布的版本',
          params: IdParamsSchema,
          body: z.object({ version: RowVersionSchema }),
          response: { 200: PlanDetailSchema },
        },
      },
      (req) =>
        publishVersion(db.kysely, ctxOf(req), req.params.id, { versionId: null, version: req.body.version }),
    );

    r.patch(
      '/api/v1/plan-tasks/:id',
      {
        schema: {
          tags,
          summary: '修改任务标题或责任单位（仅最新版本）',
          params: IdParamsSchema,
          body: TaskUpdateSchema,
          response: { 200: PlanTaskSchema },
        },
      },
      (req) => updateTask(db.kysely, ctxOf(req), req.params.id, req.body),
    );

    r.get(
      '/api/v1/plans/:id/links',
      {
        schema: {
          tags,
          summary: '本级规划任务与上级规划任务的对接',
          params: IdParamsSchema,
          response: { 200: PlanLinksSchema },
        },
      },
      (req) => getPlanLinks(db.kysely, ctxOf(req), req.params.id),
    );

    r.post(
      '/api/v1/plans/:id/links/propose',
      {
        schema: {
          tags,
          summary: '为尚未确认对接的任务生成对接建议',
          params: IdParamsSchema,
          response: { 200: PlanLinksSchema },
        },
      },
      (req) => proposePlanLinks(db.kysely, ctxOf(req), req.params.id),
    );

    r.put(
      '/api/v1/plan-tasks/:id/links',
      {
        schema: {
          tags,
          summary: '确认或修改任务对接的上级任务（空表示不对接）',
          params: IdParamsSchema,
          body: TaskLinksUpdateSchema,
          response: { 200: PlanLinksSchema },
        },
      },
      (req) => setTaskLinks(db.kysely, ctxOf(req), req.params.id, req.body),
    );

    r.patch(
      '/api/v1/indicators/:id',
      {
        schema: {
          tags,
          summary: '修改指标（类型、目标值、截止日期、基线、分县目标；仅最新版本）',
          params: IdParamsSchema,
          body: IndicatorUpdateSchema,
          response: { 200: IndicatorSchema },
        },
      },
      (req) => updateIndicator(db.kysely, ctxOf(req), req.params.id, req.body),
    );

    r.get(
      '/api/v1/public/plans',
      {
        schema: {
          tags,
          summary: '已公开发布的规划（无需登录）',
          querystring: PlanListQuerySchema,
          response: { 200: PlanPageSchema },
        },
      },
      (req) => listPlans(db.kysely, ctxOf(req), req.query, { onlyPublished: true }),
    );

    r.get(
      '/api/v1/public/plans/:id',
      {
        schema: {
          tags,
          summary: '已公开发布版本的任务树（无需登录）',
          params: IdParamsSchema,
          querystring: PlanTreeQuerySchema.omit({ versionId: true }),
          response: { 200: PlanTreeSchema },
        },
      },
      (req) => getPublishedPlanTree(db.kysely, ctxOf(req), req.params.id, req.query),
    );
  });
}
