import {
  CapacityComputeInputSchema,
  CapacityConfigInputSchema,
  CapacityConfigViewSchema,
  CapacityCopyInputSchema,
  CapacityQuerySchema,
  CapacityResultSchema,
  CapacityResultsViewSchema,
  IdParamsSchema,
  PublicCapacityQuerySchema,
  PublicCapacitySchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import {
  computeCapacity,
  copyCapacityConfig,
  getCapacityConfig,
  getCapacityResults,
  publicCapacity,
  publishCapacity,
  saveCapacityConfig,
  unpublishCapacity,
} from './capacity.service';

const tags = ['科学素质建设能力监测评估'];

export function capacityRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/capacity/config',
    {
      schema: {
        tags,
        summary: '某级某年的能力指数配置（维度、指标、权重、来源、手工录入值；未保存时为默认配置）',
        querystring: CapacityQuerySchema,
        response: { 200: CapacityConfigViewSchema },
      },
    },
    (req) => getCapacityConfig(db.kysely, ctxOf(req), req.query),
  );

  r.put(
    '/api/v1/capacity/config',
    {
      schema: {
        tags,
        summary: '保存本级某年的能力指数配置（本级管理员；乐观锁版本）',
        body: CapacityConfigInputSchema,
        response: { 200: CapacityConfigViewSchema },
      },
    },
    (req) => saveCapacityConfig(db.kysely, ctxOf(req), req.body),
  );

  r.post(
    '/api/v1/capacity/config/copy',
    {
      schema: {
        tags,
        summary: '从上一年复制能力指数配置（不含手工录入值）',
        body: CapacityCopyInputSchema,
        response: { 200: CapacityConfigViewSchema },
      },
    },
    (req) => copyCapacityConfig(db.kysely, ctxOf(req), req.body),
  );

  r.post(
    '/api/v1/capacity/compute',
    {
      schema: {
        tags,
        summary: '计算本级某年各县区的能力指数、排名与敏感性，并保存结果',
        body: CapacityComputeInputSchema,
        response: { 200: CapacityResultSchema },
      },
    },
    (req) => computeCapacity(db.kysely, ctxOf(req), config.timeZone, req.body),
  );

  r.get(
    '/api/v1/capacity/results',
    {
      schema: {
        tags,
        summary: '某级某年最新计算的能力指数结果与已发布的结果',
        querystring: CapacityQuerySchema,
        response: { 200: CapacityResultsViewSchema },
      },
    },
    (req) => getCapacityResults(db.kysely, ctxOf(req), req.query),
  );

  r.post(
    '/api/v1/capacity/results/:id/publish',
    {
      schema: {
        tags,
        summary: '发布能力指数结果（替换本级该年已发布的结果）',
        params: IdParamsSchema,
        response: { 200: CapacityResultSchema },
      },
    },
    (req) => publishCapacity(db.kysely, ctxOf(req), req.params.id),
  );

  r.post(
    '/api/v1/capacity/results/:id/unpublish',
    {
      schema: {
        tags,
        summary: '撤回已发布的能力指数结果',
        params: IdParamsSchema,
        response: { 200: CapacityResultSchema },
      },
    },
    (req) => unpublishCapacity(db.kysely, ctxOf(req), req.params.id),
  );

  r.get(
    '/api/v1/public/capacity',
    {
      schema: {
        tags,
        summary: '公开的科学素质建设能力指数（已发布的结果，含权重与方法）',
        querystring: PublicCapacityQuerySchema,
        response: { 200: PublicCapacitySchema },
      },
    },
    (req) => publicCapacity(db.kysely, req.query),
  );
}
