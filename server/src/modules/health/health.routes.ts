import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import { databaseReady } from './health.service';

/** Liveness (the process answers) and readiness (the database answers). */
export function healthRoutes(app: FastifyInstance, { db }: AppDeps): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (await databaseReady(db.kysely)) return { status: 'ready', database: db.dialect };
    return reply.status(503).send({ status: 'not-ready', database: db.dialect });
  });
}
