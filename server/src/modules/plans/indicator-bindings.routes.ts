import { IdParamsSchema, IndicatorBindingInputSchema, IndicatorBindingSchema } from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { getIndicatorBinding, setIndicatorBinding } from './indicator-bindings';

const tags = ['规划'];

export function indicatorBindingsRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/indicators/:id/binding',
    {
      schema: {
        tags,
        summary: '指标的数据来源：由资源库自动计算的统计口径（无则由单位填报）',
        params: IdParamsSchema,
        response: { 200: IndicatorBindingSchema },
      },
    },
    (req) => getIndicatorBinding(db.kysely, ctxOf(req), req.params.id),
  );

  r.put(
    '/api/v1/indicators/:id/binding',
    {
      schema: {
        tags,
        summary: '设置指标的数据来源：绑定资源库统计口径（query 为空则改回单位填报）',
        params: IdParamsSchema,
        body: IndicatorBindingInputSchema,
        response: { 200: IndicatorBindingSchema },
      },
    },
    (req) => setIndicatorBinding(db.kysely, ctxOf(req), req.params.id, req.body),
  );
}
