import {
  DrillQuerySchema,
  DrillSchema,
  IdParamsSchema,
  OverviewQuerySchema,
  OverviewSchema,
  PublicSnapshotListSchema,
  PublicSnapshotQuerySchema,
  PublicSnapshotSchema,
  SnapshotListQuerySchema,
  SnapshotListSchema,
  SnapshotPublishSchema,
  SnapshotSummarySchema,
} from '@kesu/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import {
  getDrill,
  getOverviewJson,
  getPublicSnapshot,
  listPublicSnapshots,
  listSnapshots,
  publishSnapshot,
  unpublishSnapshot,
} from './dashboards.service';

/** The city overview and its drill-downs (signed in), published snapshots (admin) and the public dashboard. */
export function dashboardsRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['dashboards 看板'];

  r.get(
    '/api/v1/dashboards/overview',
    {
      schema: {
        tags,
        summary: '全市总览：任务分组与重点人群进度、指标状态、按时报送、县区对比',
        querystring: OverviewQuerySchema,
        response: { 200: OverviewSchema },
      },
    },
    // The cached overview is sent as the JSON text it was serialized to once (built to OverviewSchema exactly).
    async (req, reply) =>
      (reply as FastifyReply)
        .type('application/json; charset=utf-8')
        .send(await getOverviewJson(db.kysely, ctxOf(req), req.query)),
  );
  r.get(
    '/api/v1/dashboards/drill',
    {
      schema: {
        tags,
        summary: '总览中某个数字背后的指标与报告',
        querystring: DrillQuerySchema,
        response: { 200: DrillSchema },
      },
    },
    (req) => getDrill(db.kysely, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/dashboards/snapshots',
    {
      schema: {
        tags,
        summary: '已发布快照的历史（管理员、领导）',
        querystring: SnapshotListQuerySchema,
        response: { 200: SnapshotListSchema },
      },
    },
    (req) => listSnapshots(db.kysely, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/dashboards/snapshots',
    {
      schema: {
        tags,
        summary: '发布某周期的总览快照（管理员；替换该周期已发布的快照）',
        body: SnapshotPublishSchema,
        response: { 201: SnapshotSummarySchema },
      },
    },
    async (req, reply) => reply.status(201).send(await publishSnapshot(db.kysely, ctxOf(req), req.body)),
  );
  r.post(
    '/api/v1/dashboards/snapshots/:id/unpublish',
    {
      schema: {
        tags,
        summary: '撤回已发布的快照（保留历史）',
        params: IdParamsSchema,
        response: { 200: SnapshotSummarySchema },
      },
    },
    (req) => unpublishSnapshot(db.kysely, ctxOf(req), req.params.id),
  );

  r.get(
    '/api/v1/public/dashboards',
    {
      schema: {
        tags,
        summary: '已发布的看板快照（无需登录）；jurisdictionId 只列某一级（如某县）的',
        querystring: PublicSnapshotQuerySchema,
        response: { 200: PublicSnapshotListSchema },
      },
    },
    (req) => listPublicSnapshots(db.kysely, req.query),
  );
  r.get(
    '/api/v1/public/dashboards/:id',
    {
      schema: {
        tags,
        summary: '一个已发布的看板快照（无需登录）',
        params: IdParamsSchema,
        response: { 200: PublicSnapshotSchema },
      },
    },
    (req) => getPublicSnapshot(db.kysely, req.params.id),
  );
}
