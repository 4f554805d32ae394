import {
  IdParamsSchema,
  JurisdictionBoundsUpdateSchema,
  JurisdictionCreateSchema,
  JurisdictionListSchema,
  JurisdictionSchema,
  JurisdictionUpdateSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import {
  createJurisdiction,
  listJurisdictions,
  updateJurisdiction,
  updateJurisdictionBounds,
} from './jurisdictions.service';

/** The tree of jurisdictions (行政区划) a user works in: its own and those below. */
export function jurisdictionsRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['jurisdictions 行政区划'];
  r.get(
    '/api/v1/jurisdictions',
    { schema: { tags, summary: '本级及下级行政区划', response: { 200: JurisdictionListSchema } } },
    (req) => listJurisdictions(db.kysely, ctxOf(req)),
  );
  r.post(
    '/api/v1/jurisdictions',
    {
      schema: {
        tags,
        summary: '增加下级行政区划',
        body: JurisdictionCreateSchema,
        response: { 201: JurisdictionSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await createJurisdiction(db.kysely, ctxOf(req), req.body)),
  );
  r.patch(
    '/api/v1/jurisdictions/:id',
    {
      schema: {
        tags,
        summary: '修改行政区划',
        params: IdParamsSchema,
        body: JurisdictionUpdateSchema,
        response: { 200: JurisdictionSchema },
      },
    },
    (req) => updateJurisdiction(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.put(
    '/api/v1/jurisdictions/:id/bounds',
    {
      schema: {
        tags,
        summary: '设置行政区划的经纬度范围（资源库坐标须落在其内；全部留空则沿用上级）',
        params: IdParamsSchema,
        body: JurisdictionBoundsUpdateSchema,
        response: { 200: JurisdictionSchema },
      },
    },
    (req) => updateJurisdictionBounds(db.kysely, ctxOf(req), req.params.id, req.body),
  );
}
