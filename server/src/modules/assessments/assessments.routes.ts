import fastifyMultipart from '@fastify/multipart';
import {
  AssessmentAnswerSchema,
  AssessmentAppealCreateSchema,
  AssessmentAppealSchema,
  AssessmentCopySchema,
  AssessmentEvidenceNoteSchema,
  AssessmentFileSchema,
  AssessmentItemScoreSchema,
  AssessmentListQuerySchema,
  AssessmentMarkSchema,
  AssessmentOverrideSchema,
  AssessmentResultsSchema,
  AssessmentRubricCreateSchema,
  AssessmentRubricListSchema,
  AssessmentRubricSchema,
  AssessmentRubricUpdateSchema,
  AssessmentWindowSchema,
  IdParamsSchema,
  IdSchema,
  MyAssessmentsSchema,
  PublicAssessmentListSchema,
  PublicAssessmentSchema,
} from '@kesu/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate } from '../../authorize';
import { type AppDeps, storageOf } from '../../deps';
import { ctxOf } from '../../http/request';
import { readUploadedFile } from '../../http/upload';
import { readAssessmentFile, uploadAssessmentFile } from './assessment-files.service';
import {
  addEvidenceNote,
  answerAppeal,
  computeRubric,
  copyRubric,
  createAppeal,
  createRubric,
  freezeRubric,
  getResults,
  getRubric,
  listRubrics,
  markItem,
  myAssessments,
  overrideScore,
  publicAssessments,
  publishRubric,
  setAppealWindow,
  updateRubric,
} from './assessments.service';

const tags = ['年度考核'];
const ItemParams = z.object({ id: IdSchema, itemId: IdSchema });
const AppealParams = z.object({ id: IdSchema, appealId: IdSchema });
const FileParams = z.object({ id: IdSchema, fileId: IdSchema });
const SubjectQuery = z.object({ subjectId: IdSchema });

export function assessmentsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db, config } = deps;
  const storage = storageOf(deps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tz = config.timeZone;

  r.get(
    '/api/v1/assessments',
    {
      schema: {
        tags,
        summary: '考核方案列表（本级及下级；管理员、领导、分析员）',
        querystring: AssessmentListQuerySchema,
        response: { 200: AssessmentRubricListSchema },
      },
    },
    (req) => listRubrics(db.kysely, ctxOf(req), req.query),
  );
  r.post(
    '/api/v1/assessments',
    {
      schema: {
        tags,
        summary: '新建本级某年度、某类对象的考核方案（草稿）',
        body: AssessmentRubricCreateSchema,
        response: { 201: AssessmentRubricSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await createRubric(db.kysely, ctxOf(req), req.body)),
  );
  r.get(
    '/api/v1/assessments/:id',
    {
      schema: {
        tags,
        summary: '考核方案及其考核项目',
        params: IdParamsSchema,
        response: { 200: AssessmentRubricSchema },
      },
    },
    (req) => getRubric(db.kysely, ctxOf(req), req.params.id),
  );
  r.put(
    '/api/v1/assessments/:id',
    {
      schema: {
        tags,
        summary: '修改草稿的名称和考核项目（乐观锁版本）',
        params: IdParamsSchema,
        body: AssessmentRubricUpdateSchema,
        response: { 200: AssessmentRubricSchema },
      },
    },
    (req) => updateRubric(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/assessments/:id/copy',
    {
      schema: {
        tags,
        summary: '复制往年考核方案为新年度的草稿',
        params: IdParamsSchema,
        body: AssessmentCopySchema,
        response: { 201: AssessmentRubricSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await copyRubric(db.kysely, ctxOf(req), req.params.id, req.body.year)),
  );
  r.post(
    '/api/v1/assessments/:id/compute',
    {
      schema: {
        tags,
        summary: '按已有数据计算（可重算；人工调整的分数保留）',
        params: IdParamsSchema,
        response: { 200: AssessmentRubricSchema },
      },
    },
    (req) => computeRubric(db.kysely, ctxOf(req), tz, req.params.id),
  );
  r.put(
    '/api/v1/assessments/:id/appeal-window',
    {
      schema: {
        tags,
        summary: '设置申诉期（起止日期，含当日）',
        params: IdParamsSchema,
        body: AssessmentWindowSchema,
        response: { 200: AssessmentRubricSchema },
      },
    },
    (req) => setAppealWindow(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/assessments/:id/freeze',
    {
      schema: {
        tags,
        summary: '定稿并排名（有未答复申诉时拒绝；定稿后不可修改）',
        params: IdParamsSchema,
        response: { 200: AssessmentRubricSchema },
      },
    },
    (req) => freezeRubric(db.kysely, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/assessments/:id/publish',
    {
      schema: {
        tags,
        summary: '向社会公开已定稿的排名',
        params: IdParamsSchema,
        response: { 200: AssessmentRubricSchema },
      },
    },
    (req) => publishRubric(db.kysely, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/assessments/:id/results',
    {
      schema: {
        tags,
        summary: '考核结果（本级：全部对象；单位或县区：仅本对象）',
        params: IdParamsSchema,
        response: { 200: AssessmentResultsSchema },
      },
    },
    (req) => getResults(db.kysely, ctxOf(req), tz, req.params.id),
  );
  r.put(
    '/api/v1/assessments/:id/items/:itemId/override',
    {
      schema: {
        tags,
        summary: '人工调整某对象某项得分（须填写理由；score 为 null 撤销调整）',
        params: ItemParams,
        body: AssessmentOverrideSchema,
        response: { 200: AssessmentItemScoreSchema },
      },
    },
    (req) => overrideScore(db.kysely, ctxOf(req), req.params.id, req.params.itemId, req.body),
  );
  r.put(
    '/api/v1/assessments/:id/items/:itemId/mark',
    {
      schema: { tags, summary: '认定“是否完成”或人工否决项', params: ItemParams, body: AssessmentMarkSchema },
    },
    async (req, reply) => {
      await markItem(db.kysely, ctxOf(req), req.params.id, req.params.itemId, req.body);
      return reply.status(204).send();
    },
  );
  r.post(
    '/api/v1/assessments/:id/items/:itemId/evidence',
    {
      schema: {
        tags,
        summary: '提交佐证说明或链接（本对象或本级管理员）',
        params: ItemParams,
        body: AssessmentEvidenceNoteSchema,
        response: { 201: AssessmentFileSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await addEvidenceNote(db.kysely, ctxOf(req), req.params.id, req.params.itemId, req.body)),
  );
  r.post(
    '/api/v1/assessments/:id/items/:itemId/appeals',
    {
      schema: {
        tags,
        summary: '对某项得分提出申诉（申诉期内，本对象）',
        params: ItemParams,
        body: AssessmentAppealCreateSchema,
        response: { 201: AssessmentAppealSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await createAppeal(db.kysely, ctxOf(req), tz, req.params.id, req.params.itemId, req.body)),
  );
  r.post(
    '/api/v1/assessments/:id/appeals/:appealId/answer',
    {
      schema: {
        tags,
        summary: '答复申诉（采纳并调整分数，或不予采纳并说明理由）',
        params: AppealParams,
        body: AssessmentAnswerSchema,
      },
    },
    async (req, reply) => {
      await answerAppeal(db.kysely, ctxOf(req), req.params.id, req.params.appealId, req.body);
      return reply.status(204).send();
    },
  );
  r.get(
    '/api/v1/assessments/:id/files/:fileId',
    { schema: { tags, summary: '下载佐证或申诉附件', params: FileParams } },
    async (req, reply) => {
      const { row, stream } = await readAssessmentFile(
        db.kysely,
        ctxOf(req),
        storage,
        req.params.id,
        req.params.fileId,
      );
      const name = row.file_name ?? 'file';
      return reply
        .header('content-type', row.mime ?? 'application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="file.${name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(stream);
    },
  );
  r.get(
    '/api/v1/my-assessments',
    {
      schema: {
        tags,
        summary: '我的考核：本单位（本县区）的得分、说明与申诉',
        response: { 200: MyAssessmentsSchema },
      },
    },
    (req) => myAssessments(db.kysely, ctxOf(req), tz),
  );
  r.get(
    '/api/v1/public/assessments',
    {
      schema: {
        tags,
        summary: '已定稿并发布的考核排名（无需登录）',
        response: { 200: PublicAssessmentListSchema },
      },
    },
    () => publicAssessments(db.kysely),
  );
  r.get(
    '/api/v1/public/assessments/:id',
    {
      schema: {
        tags,
        summary: '一项已发布的考核排名（无需登录）',
        params: IdParamsSchema,
        response: { 200: PublicAssessmentSchema },
      },
    },
    async (req) => (await publicAssessments(db.kysely, req.params.id)).items[0]!,
  );

  // Multipart only in this scope: evidence and appeal files, with the evidence size limit (REPORT_ATTACHMENT_MAX_MB).
  app.register(async (scope) => {
    const maxBytes = config.reportAttachmentMaxBytes;
    await scope.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 2 } });
    const s = scope.withTypeProvider<ZodTypeProvider>();
    /** One file to an item's evidence or to an appeal: the rubric's rules decide who may (uploadAssessmentFile). */
    const upload = async (
      req: FastifyRequest,
      reply: FastifyReply,
      rubricId: string,
      target: Parameters<typeof uploadAssessmentFile>[5],
    ) => {
      const ctx = ctxOf(req);
      authenticate(ctx);
      const file = await readUploadedFile(req, { maxBytes });
      return reply
        .status(201)
        .send(await uploadAssessmentFile(db.kysely, ctx, storage, tz, rubricId, target, file));
    };
    s.post(
      '/api/v1/assessments/:id/items/:itemId/evidence/files',
      {
        schema: {
          tags,
          summary: '上传佐证材料（PDF、图片、Office 文档；按内容判断；multipart 字段 file）',
          consumes: ['multipart/form-data'],
          params: ItemParams,
          querystring: SubjectQuery,
          response: { 201: AssessmentFileSchema },
        },
      },
      (req, reply) =>
        upload(req, reply, req.params.id, { itemId: req.params.itemId, subjectId: req.query.subjectId }),
    );
    s.post(
      '/api/v1/assessments/:id/appeals/:appealId/files',
      {
        schema: {
          tags,
          summary: '为申诉上传附件（申诉期内；multipart 字段 file）',
          consumes: ['multipart/form-data'],
          params: AppealParams,
          response: { 201: AssessmentFileSchema },
        },
      },
      (req, reply) => upload(req, reply, req.params.id, { appealId: req.params.appealId }),
    );
  });
}
