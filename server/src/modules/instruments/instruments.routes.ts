import {
  IdParamsSchema,
  InstrumentInputSchema,
  InstrumentListSchema,
  InstrumentSchema,
  InstrumentUpdateSchema,
  SELF_TEST_LIMITS,
  SelfTestDrawSchema,
  SelfTestResultSchema,
  SelfTestSubmitSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import type { AppDeps } from '../../deps';
import { failOpenWarner, PRUNE_EVERY_MS, repeatWhileOpen } from '../../http/rate-limit';
import { ctxOf } from '../../http/request';
import {
  createInstrument,
  drawPublicSelfTest,
  getInstrument,
  listInstruments,
  submitPublicSelfTest,
  updateInstrument,
} from './instruments.service';
import { SelfTestLimiter } from './self-test-limiter';

export function instrumentsRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['instruments 问卷与自测'];
  r.get(
    '/api/v1/instruments',
    {
      schema: { tags, summary: '问卷与自测题库列表（含评分规则）', response: { 200: InstrumentListSchema } },
    },
    (req) => listInstruments(db.kysely, ctxOf(req)),
  );
  r.get(
    '/api/v1/instruments/:id',
    {
      schema: {
        tags,
        summary: '问卷详情（含题目与答案）',
        params: IdParamsSchema,
        response: { 200: InstrumentSchema },
      },
    },
    (req) => getInstrument(db.kysely, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/instruments',
    {
      schema: {
        tags,
        summary: '新增问卷或题库',
        body: InstrumentInputSchema,
        response: { 201: InstrumentSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await createInstrument(db.kysely, ctxOf(req), req.body)),
  );
  r.patch(
    '/api/v1/instruments/:id',
    {
      schema: {
        tags,
        summary: '替换问卷内容（版本号加一）',
        params: IdParamsSchema,
        body: InstrumentUpdateSchema,
        response: { 200: InstrumentSchema },
      },
    },
    (req) => updateInstrument(db.kysely, ctxOf(req), req.params.id, req.body),
  );

  // Public, no sign-in. The CSRF origin check of http/security.ts still applies to the POST.
  // Shared by every node on the database; ended windows deleted every minute (the promise of self-test-limiter.ts).
  const limiter = new SelfTestLimiter(
    db.kysely,
    SELF_TEST_LIMITS.submissionsPerWindow,
    SELF_TEST_LIMITS.windowMinutes * 60_000,
    failOpenWarner(app.log, 'self-test submission limit'),
  );
  repeatWhileOpen(app, PRUNE_EVERY_MS, 'pruning the self-test attempts', () => limiter.prune());
  r.get(
    '/api/v1/public/self-test',
    {
      schema: {
        tags,
        summary: '公民科学素质自测：抽取覆盖 26 条基准的试卷（不含答案）',
        response: { 200: SelfTestDrawSchema },
      },
    },
    async (_req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return drawPublicSelfTest(db.kysely);
    },
  );
  r.post(
    '/api/v1/public/self-test',
    {
      bodyLimit: SELF_TEST_LIMITS.bodyBytes,
      schema: {
        tags,
        summary: '提交自测答案，立即评分并给出解析',
        body: SelfTestSubmitSchema,
        response: { 200: SelfTestResultSchema },
      },
    },
    async (req) => {
      if (!(await limiter.take(req.ip))) throw new AppError('TOO_MANY_ATTEMPTS', '提交过于频繁，请稍后再试');
      return submitPublicSelfTest(db.kysely, req.body);
    },
  );
}
