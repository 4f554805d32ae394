import {
  FundingExportQuerySchema,
  FundingInputSchema,
  FundingQuerySchema,
  FundingStandardInputSchema,
  FundingViewSchema,
} from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { attachmentDisposition } from '../exchange/table-export';
import { exportFunding, getFunding, saveFunding, setFundingStandard } from './funding.service';

const tags = ['科普经费'];

export function fundingRoutes(app: FastifyInstance, { db }: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/funding',
    {
      schema: {
        tags,
        summary: '某级某年的科普经费（按来源）及各下级的合计、人均与标准',
        querystring: FundingQuerySchema,
        response: { 200: FundingViewSchema },
      },
    },
    (req) => getFunding(db.kysely, ctxOf(req), req.query),
  );

  r.put(
    '/api/v1/funding',
    {
      schema: {
        tags,
        summary: '填报本级某年的科普经费（按来源，元；乐观锁版本）',
        body: FundingInputSchema,
        response: { 200: FundingViewSchema },
      },
    },
    (req) => saveFunding(db.kysely, ctxOf(req), req.body),
  );

  r.put(
    '/api/v1/funding/standard',
    {
      schema: {
        tags,
        summary: '设置某级某年的人均科普经费标准（元/人；本级或上级管理员）',
        body: FundingStandardInputSchema,
        response: { 200: FundingViewSchema },
      },
    },
    (req) => setFundingStandard(db.kysely, ctxOf(req), req.body),
  );

  r.get(
    '/api/v1/funding/export',
    {
      schema: {
        tags,
        summary: '导出科普经费汇总（xlsx 或 csv：本级与各下级的预算、支出、人均与标准）',
        querystring: FundingExportQuerySchema,
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const file = await exportFunding(db.kysely, ctxOf(req), q, format);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachmentDisposition(file.fileName))
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );
}
