import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import { databaseReady } from './health.service';

/**
 * Liveness (/healthz: the process answers, nothing else) and readiness (/readyz: the database answers and every
 * registered check — migrations finished, the job queue started — is ready). A load balancer sends traffic to a node
 * only while /readyz answers 200; 503 carries the reasons in Chinese for the operator.
 */
export function healthRoutes(app: FastifyInstance, { db, readiness }: AppDeps): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const reasons = (await databaseReady(db.kysely)) ? [] : ['数据库无法连接'];
    if (readiness) reasons.push(...(await readiness.reasons()));
    if (!reasons.length) return { status: 'ready', database: db.dialect };
    return reply.status(503).send({ status: 'not-ready', database: db.dialect, reasons });
  });
}
