import { AllocationInputSchema, AllocationSchema, IdParamsSchema } from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { allocateIndicator, getAllocation } from './allocations.service';

const tags = ['分解下达'];

export function allocationsRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/indicators/:id/allocation',
    {
      schema: {
        tags,
        summary: '指标向下级县区的分解下达情况（各县区目标、是否已有规划）',
        params: IdParamsSchema,
        response: { 200: AllocationSchema },
      },
    },
    (req) => getAllocation(db.kysely, ctxOf(req), req.params.id),
  );

  r.put(
    '/api/v1/indicators/:id/allocation',
    {
      schema: {
        tags,
        summary: '分解下达：数量型按配额（合计等于本级目标），比例型按统一比例；各县区规划中生成对应任务',
        params: IdParamsSchema,
        body: AllocationInputSchema,
        response: { 200: AllocationSchema },
      },
    },
    (req) => allocateIndicator(db.kysely, ctxOf(req), req.params.id, req.body),
  );
}
