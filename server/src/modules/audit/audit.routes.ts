import { AuditPageSchema, AuditQuerySchema } from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { ctxOf } from '../../http/request';
import { browseAudit } from './audit.service';

/** Read-only: the audit trail has no write, edit or delete route. */
export function auditRoutes(app: FastifyInstance, { db }: AppDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit 审计'],
        summary: '审计日志',
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema },
      },
    },
    (req) => browseAudit(db.kysely, ctxOf(req), req.query),
  );
}
