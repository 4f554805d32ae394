import {
  ContentInputSchema,
  ContentItemSchema,
  ContentListQuerySchema,
  ContentPageSchema,
  ContentUpdateSchema,
  IdParamsSchema,
  OkSchema,
  PublicJurisdictionsSchema,
  RecommendationQuerySchema,
  RecommendationsSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { dateIn } from '../../time';
import {
  createContent,
  deleteContent,
  getContent,
  listContent,
  publicJurisdictions,
  recommend,
  updateContent,
} from './content.service';

const tags = ['科普内容与精准推送'];

export function contentRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/content',
    {
      schema: {
        tags,
        summary: '科普内容列表（本级及下级发布的，最新在前）',
        querystring: ContentListQuerySchema,
        response: { 200: ContentPageSchema },
      },
    },
    (req) => listContent(db.kysely, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/content',
    {
      schema: {
        tags,
        summary: '发布科普内容（本级；受众为重点人群或社会公众，推送范围为本级及下级）',
        body: ContentInputSchema,
        response: { 201: ContentItemSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await createContent(db.kysely, ctxOf(req), req.body)),
  );
  r.get(
    '/api/v1/content/:id',
    {
      schema: { tags, summary: '一条科普内容', params: IdParamsSchema, response: { 200: ContentItemSchema } },
    },
    (req) => getContent(db.kysely, ctxOf(req), req.params.id),
  );
  r.put(
    '/api/v1/content/:id',
    {
      schema: {
        tags,
        summary: '修改本级发布的科普内容（乐观锁版本）',
        params: IdParamsSchema,
        body: ContentUpdateSchema,
        response: { 200: ContentItemSchema },
      },
    },
    (req) => updateContent(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.delete(
    '/api/v1/content/:id',
    {
      schema: {
        tags,
        summary: '删除本级发布的科普内容',
        params: IdParamsSchema,
        response: { 200: OkSchema },
      },
    },
    (req) => deleteContent(db.kysely, ctxOf(req), req.params.id),
  );

  r.get(
    '/api/v1/public/recommendations',
    {
      schema: {
        tags,
        summary: '为您推荐（无需登录）：按所选县区和人群推荐科普内容与近期活动，并说明原因',
        querystring: RecommendationQuerySchema,
        response: { 200: RecommendationsSchema },
      },
    },
    (req) => recommend(db.kysely, req.query, dateIn(config.timeZone)),
  );
  r.get(
    '/api/v1/public/recommendations/jurisdictions',
    {
      schema: {
        tags,
        summary: '为您推荐可选的行政区划（无需登录）',
        response: { 200: PublicJurisdictionsSchema },
      },
    },
    () => publicJurisdictions(db.kysely),
  );
}
