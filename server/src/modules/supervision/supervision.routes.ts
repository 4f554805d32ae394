import {
  AlertsToNoticesResultSchema,
  AlertsToNoticesSchema,
  AlertListSchema,
  IdParamsSchema,
  NoticeCreateSchema,
  NoticeDetailSchema,
  NoticeLinkOptionListSchema,
  NoticeLinkSearchQuerySchema,
  NoticeListQuerySchema,
  NoticePageSchema,
  NoticeReplySchema,
  NoticeReturnSchema,
  NoticeStepSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type AppDeps, jobsOf, notifierOf } from '../../deps';
import { ctxOf } from '../../http/request';
import { registerAlertScanJob } from './alert-scan.service';
import { alertsToNotices, scanAlerts } from './alerts.service';
import type { NoticeStep } from './notice-state';
import { getNotice, issueNotice, listNotices, searchNoticeLinks, stepNotice } from './supervision.service';

const STEPS: {
  step: NoticeStep;
  summary: string;
  body: typeof NoticeStepSchema | typeof NoticeReplySchema;
}[] = [
  { step: 'sign', summary: '签收（本单位填报人员）', body: NoticeStepSchema },
  { step: 'reply', summary: '回复办理情况（本单位填报人员，须填写内容）', body: NoticeReplySchema },
  { step: 'finish', summary: '办结（本单位填报人员）', body: NoticeStepSchema },
  { step: 'return', summary: '退回（管理员，须填写意见）', body: NoticeReturnSchema },
  { step: 'close', summary: '销号（管理员）', body: NoticeStepSchema },
];

export async function supervisionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const notifier = notifierOf(deps);
  // The alert scan also runs as a background job (ALERT_SCAN_CRON), telling the office of new alerts.
  await registerAlertScanJob(jobsOf(deps), db.kysely, notifier, deps.config.alertScanCron, app.log);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision 督办'];
  r.get(
    '/api/v1/supervision/notices',
    {
      schema: {
        tags,
        summary: '督办单列表（填报单位只见本单位）',
        querystring: NoticeListQuerySchema,
        response: { 200: NoticePageSchema },
      },
    },
    (req) => listNotices(db.kysely, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/supervision/notices',
    {
      schema: {
        tags,
        summary: '交办督办单（管理员）',
        body: NoticeCreateSchema,
        response: { 201: NoticeDetailSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await issueNotice(db.kysely, ctxOf(req), notifier, req.body)),
  );
  r.post(
    '/api/v1/supervision/notices/from-alerts',
    {
      schema: {
        tags,
        summary: '把选中的预警批量转为督办单（各按其建议内容交办）',
        body: AlertsToNoticesSchema,
        response: { 200: AlertsToNoticesResultSchema },
      },
    },
    (req) => alertsToNotices(db.kysely, ctxOf(req), notifier, req.body, { log: req.log }),
  );
  r.get(
    '/api/v1/supervision/link-targets',
    {
      schema: {
        tags,
        summary: '按名称搜索督办可关联的任务、指标、报告或周期（管理员交办时用）',
        querystring: NoticeLinkSearchQuerySchema,
        response: { 200: NoticeLinkOptionListSchema },
      },
    },
    (req) => searchNoticeLinks(db.kysely, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/supervision/notices/:id',
    {
      schema: {
        tags,
        summary: '督办单详情与办理过程',
        params: IdParamsSchema,
        response: { 200: NoticeDetailSchema },
      },
    },
    (req) => getNotice(db.kysely, ctxOf(req), req.params.id),
  );
  for (const { step, summary, body } of STEPS) {
    r.post(
      `/api/v1/supervision/notices/:id/${step}`,
      { schema: { tags, summary, params: IdParamsSchema, body, response: { 200: NoticeDetailSchema } } },
      (req) => stepNotice(db.kysely, ctxOf(req), notifier, req.params.id, step, req.body),
    );
  }
  r.get(
    '/api/v1/supervision/alerts',
    {
      schema: {
        tags,
        summary: '预警：逾期报告、红灯指标、逾期督办（实时计算），及上次自动扫描的时间与新增条数',
        response: { 200: AlertListSchema },
      },
    },
    (req) => scanAlerts(db.kysely, ctxOf(req), { log: req.log }),
  );
}
