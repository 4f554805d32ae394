import {
  IdParamsSchema,
  UnitCreateSchema,
  UnitListQuerySchema,
  UnitMergeSchema,
  UnitPageSchema,
  UnitResolveQuerySchema,
  UnitResolveResultSchema,
  UnitSchema,
  UnitUpdateSchema,
  RowVersionSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import {
  createUnit,
  deactivateUnit,
  getUnit,
  listUnits,
  mergeUnits,
  resolveUnitNameFor,
  updateUnit,
} from './units.service';

export function unitsRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['units 组织机构'];
  r.get(
    '/api/v1/units',
    {
      schema: {
        tags,
        summary: '单位列表',
        querystring: UnitListQuerySchema,
        response: { 200: UnitPageSchema },
      },
    },
    (req) => listUnits(db.kysely, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/units/resolve',
    {
      schema: {
        tags,
        summary: '按名称（全称、简称或别名）查找单位',
        querystring: UnitResolveQuerySchema,
        response: { 200: UnitResolveResultSchema },
      },
    },
    (req) => resolveUnitNameFor(db.kysely, ctxOf(req), req.query.name),
  );
  r.get(
    '/api/v1/units/:id',
    { schema: { tags, summary: '单位详情', params: IdParamsSchema, response: { 200: UnitSchema } } },
    (req) => getUnit(db.kysely, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/units',
    { schema: { tags, summary: '新增单位', body: UnitCreateSchema, response: { 201: UnitSchema } } },
    async (req, reply) => reply.status(201).send(await createUnit(db.kysely, ctxOf(req), req.body)),
  );
  r.patch(
    '/api/v1/units/:id',
    {
      schema: {
        tags,
        summary: '修改单位',
        params: IdParamsSchema,
        body: UnitUpdateSchema,
        response: { 200: UnitSchema },
      },
    },
    (req) => updateUnit(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/units/:id/deactivate',
    {
      schema: {
        tags,
        summary: '停用单位',
        params: IdParamsSchema,
        body: z.object({ version: RowVersionSchema }),
        response: { 200: UnitSchema },
      },
    },
    (req) => deactivateUnit(db.kysely, ctxOf(req), req.params.id, req.body.version),
  );
  r.post(
    '/api/v1/units/:id/merge',
    {
      schema: {
        tags,
        summary: '把另一单位合并到本单位（引用随之转移）',
        params: IdParamsSchema,
        body: UnitMergeSchema,
        response: { 200: UnitSchema },
      },
    },
    (req) => mergeUnits(db.kysely, ctxOf(req), req.params.id, req.body.sourceId),
  );
}
