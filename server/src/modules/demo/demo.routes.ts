import { DemoStatusSchema } from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { demoStatusFor } from './demo.service';

/** Whether demo data is loaded (the web shows a banner and “演示数据” tags). Load/remove: `kesu demo`. */
export function demoRoutes(app: FastifyInstance, { db }: AppDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/demo',
    {
      schema: {
        tags: ['demo 演示数据'],
        summary: '是否载入了演示数据（删除：npx kesu demo remove）',
        response: { 200: DemoStatusSchema },
      },
    },
    (req) => demoStatusFor(db.kysely, ctxOf(req)),
  );
}
