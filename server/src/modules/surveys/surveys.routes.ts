import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import {
  IdParamsSchema,
  MarginYearsSchema,
  MethodNoteQuerySchema,
  OkSchema,
  PopulationMarginsPutSchema,
  PopulationMarginsSchema,
  PublicLiteracySchema,
  SurveyHeadlinesSchema,
  SurveyUploadSchema,
  SurveyWaveDetailSchema,
  SurveyWaveListSchema,
  SurveyWaveSchema,
  SurveyWaveUpdateSchema,
  WaveImportSchema,
  YearParamsSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import { type AppDeps, jobsOf, storageOf } from '../../deps';
import { INCOMING_DIR } from '../../storage';
import { ctxOf } from '../../http/request';
import { multipartFailure } from '../../http/upload';
import { newId } from '../../ids';
import { getMargins, listMarginYears, putMargins } from './population-margins.service';
import {
  deleteWave,
  getUpload,
  registerSurveyJobs,
  getWave,
  listHeadlines,
  listWaves,
  methodNoteOf,
  publicLiteracy,
  recomputeWave,
  registerUpload,
  requireSurveyManager,
  startImport,
  updateWave,
} from './surveys.service';

const tags = ['surveys 科学素质监测'];

/**
 * Survey waves, uploads and population margins. The upload route streams the file to DATA_DIR (never into
 * memory) under its own size limit (SURVEY_UPLOAD_MAX_MB); multipart is registered only in its scope.
 */
export async function surveysRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;
  const jobs = jobsOf(deps);
  const storage = storageOf(deps);
  await registerSurveyJobs(jobs, db.kysely, storage, {
    database: config.database,
    concurrency: config.jobImportConcurrency,
  });
  await app.register(async (scope) => {
    const maxBytes = config.surveyUploadMaxBytes;
    await scope.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 2 } });
    // Who may upload, and whether the body can fit, is decided before a byte of it is read.
    scope.addHook('onRequest', async (req) => {
      requireSurveyManager(ctxOf(req));
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/surveys/uploads',
      {
        schema: {
          tags,
          summary: '上传调查微观数据（csv / xlsx，multipart 字段 file）',
          consumes: ['multipart/form-data'],
          response: { 201: SurveyUploadSchema },
        },
      },
      async (req, reply) => {
        let part: Awaited<ReturnType<typeof req.file>>;
        try {
          part = await req.file();
        } catch (err) {
          throw multipartFailure(err, maxBytes, tooLarge(maxBytes).message);
        }
        if (!part) throw new AppError('BAD_REQUEST', '请选择要上传的文件');
        const ext = path.extname(part.filename).toLowerCase();
        if (ext !== '.csv' && ext !== '.xlsx') {
          part.file.resume();
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 .csv 或 .xlsx 文件');
        }
        // Received on this node's disk first (read, checked), then moved into the file storage by registerUpload.
        const dir = path.join(config.dataDir, INCOMING_DIR);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const id = newId();
        const file = path.join(dir, `${id}${ext}`);
        try {
          await pipeline(part.file, fs.createWriteStream(file, { mode: 0o600 }));
        } catch (err) {
          fs.rmSync(file, { force: true });
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
          throw multipartFailure(err, maxBytes, tooLarge(maxBytes).message);
        }
        if (part.file.truncated) {
          fs.rmSync(file, { force: true });
          throw tooLarge(maxBytes);
        }
        const upload = await registerUpload(db.kysely, storage, ctxOf(req), {
          id,
          fileName: part.filename,
          format: ext === '.csv' ? 'csv' : 'xlsx',
          sizeBytes: fs.statSync(file).size,
          file,
        });
        return reply.status(201).send(upload);
      },
    );
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/surveys/uploads/:id',
    {
      schema: {
        tags,
        summary: '上传文件与导入进度',
        params: IdParamsSchema,
        response: { 200: SurveyUploadSchema },
      },
    },
    (req) => getUpload(db.kysely, jobs, ctxOf(req), req.params.id),
  );
  r.post(
    '/api/v1/surveys/uploads/:id/import',
    {
      schema: {
        tags,
        summary: '按列映射与设计导入为调查轮次（后台进行，轮询进度）',
        params: IdParamsSchema,
        body: WaveImportSchema,
        response: { 202: SurveyUploadSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(202)
        .send(await startImport(db.kysely, storage, jobs, ctxOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/v1/surveys/waves',
    { schema: { tags, summary: '调查轮次列表', response: { 200: SurveyWaveListSchema } } },
    (req) => listWaves(db.kysely, ctxOf(req)),
  );
  r.get(
    '/api/v1/surveys/headlines',
    {
      schema: {
        tags,
        summary: '各轮调查的主要结果（现行标准，有人口边际时加权校准）与规划目标',
        response: { 200: SurveyHeadlinesSchema },
      },
    },
    (req) => listHeadlines(db.kysely, ctxOf(req)),
  );
  r.get(
    '/api/v1/surveys/waves/:id',
    {
      schema: {
        tags,
        summary: '调查轮次与其估计值',
        params: IdParamsSchema,
        response: { 200: SurveyWaveDetailSchema },
      },
    },
    (req) => getWave(db.kysely, ctxOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/surveys/waves/:id',
    {
      schema: {
        tags,
        summary: '修改调查轮次（名称、发布主要结果）',
        params: IdParamsSchema,
        body: SurveyWaveUpdateSchema,
        response: { 200: SurveyWaveSchema },
      },
    },
    (req) => updateWave(db.kysely, ctxOf(req), req.params.id, req.body),
  );
  r.delete(
    '/api/v1/surveys/waves/:id',
    { schema: { tags, summary: '删除调查轮次', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (req) => {
      await deleteWave(db.kysely, ctxOf(req), req.params.id);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/v1/surveys/waves/:id/recompute',
    {
      schema: {
        tags,
        summary: '由存储的微观数据重新计算估计值',
        params: IdParamsSchema,
        response: { 200: SurveyWaveDetailSchema },
      },
    },
    (req) => recomputeWave(db.kysely, ctxOf(req), req.params.id),
  );
  r.get(
    '/api/v1/surveys/waves/:id/method-note',
    {
      schema: {
        tags,
        summary: '某个估计值的方法说明（Markdown 或 HTML 下载）',
        params: IdParamsSchema,
        querystring: MethodNoteQuerySchema,
        produces: ['text/markdown', 'text/html'],
      },
    },
    async (req, reply) => {
      const note = await methodNoteOf(db.kysely, ctxOf(req), req.params.id, req.query);
      return reply
        .type(`${note.mime}; charset=utf-8`)
        .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(note.fileName)}`)
        .send(note.text);
    },
  );
  r.get(
    '/api/v1/public/literacy',
    {
      schema: { tags, summary: '已发布的公民科学素质比例（公开）', response: { 200: PublicLiteracySchema } },
    },
    () => publicLiteracy(db.kysely),
  );
  r.get(
    '/api/v1/surveys/margins',
    { schema: { tags, summary: '已录入人口边际的年份', response: { 200: MarginYearsSchema } } },
    (req) => listMarginYears(db.kysely, ctxOf(req)),
  );
  r.get(
    '/api/v1/surveys/margins/:year',
    {
      schema: {
        tags,
        summary: '某年的人口边际',
        params: YearParamsSchema,
        response: { 200: PopulationMarginsSchema },
      },
    },
    (req) => getMargins(db.kysely, ctxOf(req), req.params.year),
  );
  r.post(
    '/api/v1/surveys/margins/:year',
    {
      schema: {
        tags,
        summary: '保存某年的人口边际（整表替换）',
        params: YearParamsSchema,
        body: PopulationMarginsPutSchema,
        response: { 200: PopulationMarginsSchema },
      },
    },
    (req) => putMargins(db.kysely, ctxOf(req), req.params.year, req.body),
  );
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `文件超过上限 ${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB`,
    {
      maxBytes,
    },
  );
}
