import {
  ErrorBodySchema,
  OPEN_DATA_LATEST,
  OpenDataCatalogueSchema,
  OpenDataDocumentSchema,
  OpenDataFileParamsSchema,
} from '@kesu/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { attachmentDisposition } from '../exchange/table-export';
import { openDataCatalogue, openDataDocument, openDataFileName, renderOpenData } from './opendata.service';

/** 开放数据 (no sign-in): the catalogue and every published figure as csv, xlsx or JSON at a stable URL. */
export function openDataRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['opendata 开放数据'];
  const env = { db: db.kysely, timeZone: config.timeZone };

  r.get(
    '/api/v1/public/open-data',
    {
      schema: {
        tags,
        summary: '开放数据目录：各级已发布的数据集、期别、数据截至日期、统计方法和下载地址',
        response: { 200: OpenDataCatalogueSchema },
      },
    },
    () => openDataCatalogue(env, config.publicRateLimit.max),
  );

  r.get(
    '/api/v1/public/open-data/:jurisdiction/:dataset/:period.:format',
    {
      schema: {
        tags,
        summary: '下载一个数据集的一期：csv、xlsx 或 json（期别 latest 为最新一期）',
        description:
          '地址稳定：某一期的地址在该期发布期间一直有效，latest 总是指向最新发布的一期。json 为下方结构；xlsx 第一个工作表为数据、第二个“说明”工作表为数据截至日期、统计方法、来源和许可；csv 为 UTF-8 带 BOM 的数据表，数据截至日期和期别在响应头 X-Open-Data-As-Of、X-Open-Data-Period，统计方法见目录。文件名（Content-Disposition filename*=UTF-8）为“地区-数据集-期别”。未知或未发布的数据集、地区、期别返回 404。',
        params: OpenDataFileParamsSchema,
        response: { 200: OpenDataDocumentSchema, 404: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const doc = await openDataDocument(env, req.params);
      reply
        .header('X-Open-Data-As-Of', doc.asOf)
        .header('X-Open-Data-Period', doc.period)
        // A fixed period does not change while published; `latest` moves with the next publication.
        .header('Cache-Control', req.params.period === OPEN_DATA_LATEST ? 'no-cache' : 'public, max-age=300');
      if (req.params.format === 'json') {
        return reply
          .header(
            'Content-Disposition',
            attachmentDisposition(openDataFileName(doc, 'json')).replace('attachment', 'inline'),
          )
          .send(doc);
      }
      const file = await renderOpenData(doc, req.params.format);
      // A file, not the JSON document the schema describes: sent as bytes, past the serializer.
      return (reply as FastifyReply)
        .type(file.contentType)
        .header('Content-Disposition', attachmentDisposition(file.fileName))
        .send(file.body);
    },
  );
}
