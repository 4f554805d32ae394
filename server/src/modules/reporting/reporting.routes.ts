import { authenticate } from '../../authorize';
import fastifyMultipart from '@fastify/multipart';
import {
  AttachmentSchema,
  BulkResultSchema,
  BulkReviewSchema,
  CycleUnitsSchema,
  SubmitAllSchema,
  UrgeBodySchema,
  CycleCreateSchema,
  CycleListQuerySchema,
  CyclePageSchema,
  CycleSchema,
  CycleTransitionSchema,
  CycleUpdateSchema,
  IdParamsSchema,
  InboxQuerySchema,
  InboxSchema,
  IndicatorStatusQuerySchema,
  IndicatorStatusSchema,
  ReportCreateSchema,
  ReportCountySummarySchema,
  ReportDetailSchema,
  ReportEvaluateSchema,
  ReportListQuerySchema,
  ReportPageSchema,
  ReportReturnSchema,
  ReportReviewSchema,
  ReportSaveSchema,
  ValueChecksSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type AppDeps, notifierOf, storageOf } from '../../deps';
import { ctxOf } from '../../http/request';
import { getReportCountySummary } from './county-summary.service';
import { readUploadedFile } from '../../http/upload';
import { deleteAttachment, readAttachment, uploadAttachment } from './attachments.service';
import { createCycle, getCycle, getInbox, listCycles, transitionCycle, updateCycle } from './cycles.service';
import { getIndicatorStatus } from './indicator-status.service';
import {
  createReport,
  evaluateReportValues,
  getReport,
  listReports,
  reviewReport,
  reviewReports,
  saveReport,
  submitAllReports,
  submitReport,
} from './reports.service';
import { listCycleUnits, urgeUnits } from './reminders.service';

/** Reporting cycles, the unit inbox, progress reports and their review, evidence files, indicator actuals. */
export function reportingRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db, config } = deps;
  const notifier = notifierOf(deps);
  const storage = storageOf(deps);
  const reminderOpts = () => ({ timeZone: config.timeZone, daysBefore: config.reminderDaysBefore });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reporting 填报'];
  r.get(
    '/api/v1/reporting/cycles/:id/units',
    {
      schema: {
        tags,
        summary: '周期内各单位的填报进度与最近催报（管理员）',
        params: IdParamsSchema,
        response: { 200: CycleUnitsSchema },
      },
    },
    (req) => listCycleUnits(db.kysely, ctxOf(req), req.params.id, reminderOpts()),
  );
  r.post(
    '/api/v1/reporting/cycles/:id/urge',
    {
      schema: {
        tags,
        summary: '催报：提醒所选单位（不选则全部逾期单位），每单位每天一次',
        params: IdParamsSchema,
        body: UrgeBodySchema,
        response: { 200: BulkResultSchema },
      },
    },
    (req) => urgeUnits(db.kysely, ctxOf(req), notifier, req.params.id, req.body, reminderOpts()),
  );
  r.post(
    '/api/v1/reports/submit-all',
    {
      schema: {
        tags,
        summary: '提交本单位本周期全部已填好的报告',
        body: SubmitAllSchema,
        response: { 200: BulkResultSchema },
      },
    },
    (req) => submitAllReports(db.kysely, ctxOf(req), req.body, notifier),
  );
  r.post(
    '/api/v1/reports/review',
    {
      schema: {
        tags,
        summary: '批量审核：通过或退回所选报告（同一意见）',
        body: BulkReviewSchema,
        response: { 200: BulkResultSchema },
      },
    },
    (req) => reviewReports(db.kysely, ctxOf(req), req.body, notifier),
  );

  r.get(
    '/api/v1/reporting/cycles',
    {
      schema: {
        tags,
        summary: '填报周期列表',
        querystring: CycleListQuerySchema,
        response: { 200: CyclePageSchema },
      },
    },
    (req) => listCycles(db.kysely, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/reporting/cycles',
    {
      schema: {
        tags,
        summary: '新建填报周期（管理员）',
        body: CycleCreateSchema,
        response: { 201: CycleSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await createCycle(db.kysely, ctxOf(req), req.body)),
  );
  r.get(
    '/api/v1/reporting/cycles/:id',
    { schema: { tags, summary: '填报周期', params: IdParamsSchema, response: { 200: CycleSchema } } },
    (req) => getCycle(db.kysely, ctxOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/reporting/cycles/:id',
    {
      schema: {
        tags,
        summary: '修改周期名称、截止日期、宽限天数',
        params: IdParamsSchema,
        body: CycleUpdateSchema,
        response: { 200: CycleSchema },
      },
    },
    (req) => updateCycle(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  for (const action of ['close', 'reopen', 'lock'] as const) {
    r.post(
      `/api/v1/reporting/cycles/:id/${action}`,
      {
        schema: {
          tags,
          summary: {
            close: '截止周期（单位不能再填报）',
            reopen: '重新开放已截止的周期',
            lock: '锁定周期（不可逆）',
          }[action],
          params: IdParamsSchema,
          body: CycleTransitionSchema,
          response: { 200: CycleSchema },
        },
      },
      (req) => transitionCycle(db.kysely, ctxOf(req), req.params.id, action, req.body.version),
    );
  }

  r.get(
    '/api/v1/reporting/inbox',
    {
      schema: {
        tags,
        summary: '单位待办：待填报、逾期、被退回（默认本单位）',
        querystring: InboxQuerySchema,
        response: { 200: InboxSchema },
      },
    },
    (req) => getInbox(db.kysely, ctxOf(req), req.query),
  );

  r.get(
    '/api/v1/reports',
    {
      schema: {
        tags,
        summary: '报告列表（审核队列）；填报人只见本单位',
        querystring: ReportListQuerySchema,
        response: { 200: ReportPageSchema },
      },
    },
    (req) => listReports(db.kysely, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/reports',
    {
      schema: {
        tags,
        summary: '打开本单位某任务某周期的报告（已存在则返回；新建时按上一周期预填）',
        body: ReportCreateSchema,
        response: { 200: ReportDetailSchema },
      },
    },
    (req) => createReport(db.kysely, ctxOf(req), req.body),
  );
  r.get(
    '/api/v1/reports/:id',
    { schema: { tags, summary: '报告详情', params: IdParamsSchema, response: { 200: ReportDetailSchema } } },
    (req) => getReport(db.kysely, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/reports/:id/county-summary',
    {
      schema: {
        tags,
        summary: '县区汇总：县政府单位向上报告时，县级实施方案中对接本任务的任务完成情况',
        params: IdParamsSchema,
        response: { 200: ReportCountySummarySchema },
      },
    },
    (req) => getReportCountySummary(db.kysely, ctxOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/reports/:id',
    {
      schema: {
        tags,
        summary: '保存草稿（version 过期则 409）',
        params: IdParamsSchema,
        body: ReportSaveSchema,
        response: { 200: ReportDetailSchema },
      },
    },
    (req) => saveReport(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/reports/:id/evaluate',
    {
      schema: {
        tags,
        summary: '按周期末判断所填数值是否落后或异常（不保存）',
        params: IdParamsSchema,
        body: ReportEvaluateSchema,
        response: { 200: ValueChecksSchema },
      },
    },
    async (req) => ({
      checks: await evaluateReportValues(db.kysely, ctxOf(req), req.params.id, req.body.values),
    }),
  );
  r.post(
    '/api/v1/reports/:id/submit',
    {
      schema: {
        tags,
        summary: '提交审核',
        params: IdParamsSchema,
        body: CycleTransitionSchema,
        response: { 200: ReportDetailSchema },
      },
    },
    (req) => submitReport(db.kysely, ctxOf(req), req.params.id, req.body.version, notifier),
  );
  r.post(
    '/api/v1/reports/:id/approve',
    {
      schema: {
        tags,
        summary: '审核通过（管理员；报告随即锁定）',
        params: IdParamsSchema,
        body: ReportReviewSchema,
        response: { 200: ReportDetailSchema },
      },
    },
    (req) => reviewReport(db.kysely, ctxOf(req), req.params.id, 'approve', req.body, notifier),
  );
  r.post(
    '/api/v1/reports/:id/return',
    {
      schema: {
        tags,
        summary: '退回修改（管理员；须填写意见）',
        params: IdParamsSchema,
        body: ReportReturnSchema,
        response: { 200: ReportDetailSchema },
      },
    },
    (req) => reviewReport(db.kysely, ctxOf(req), req.params.id, 'return', req.body, notifier),
  );

  r.get(
    '/api/v1/report-attachments/:id',
    { schema: { tags, summary: '下载佐证材料（能查看该报告的用户）', params: IdParamsSchema } },
    async (req, reply) => {
      const { row, stream } = await readAttachment(db.kysely, ctxOf(req), storage, req.params.id);
      return reply
        .header('content-type', row.mime)
        .header('content-length', String(row.size_bytes))
        .header(
          'content-disposition',
          `attachment; filename="attachment.${row.file_name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(row.file_name)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(stream);
    },
  );
  r.delete(
    '/api/v1/report-attachments/:id',
    { schema: { tags, summary: '删除佐证材料（本单位、可编辑时）', params: IdParamsSchema } },
    async (req, reply) => {
      await deleteAttachment(db.kysely, ctxOf(req), storage, req.params.id);
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/v1/indicator-status',
    {
      schema: {
        tags,
        summary: '指标完成情况：实际值、目标、序时进度、亮灯、计算说明、来源报告；任务进度汇总',
        querystring: IndicatorStatusQuerySchema,
        response: { 200: IndicatorStatusSchema },
      },
    },
    (req) => getIndicatorStatus(db.kysely, ctxOf(req), req.query),
  );

  // Multipart only in this scope: evidence uploads, with their own size limit (REPORT_ATTACHMENT_MAX_MB).
  app.register(async (scope) => {
    const maxBytes = config.reportAttachmentMaxBytes;
    await scope.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 2 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/reports/:id/attachments',
      {
        schema: {
          tags,
          summary: '上传佐证材料（PDF、图片、Office 文档；按内容判断类型；multipart 字段 file）',
          consumes: ['multipart/form-data'],
          params: IdParamsSchema,
          response: { 201: AttachmentSchema },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        authenticate(ctx);
        const { buffer, fileName } = await readUploadedFile(req, { maxBytes });
        const att = await uploadAttachment(db.kysely, ctx, storage, req.params.id, {
          buffer,
          fileName,
        });
        return reply.status(201).send(att);
      },
    );
  });
}
