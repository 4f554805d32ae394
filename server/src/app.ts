import { closeWorkerPool, configureWorkerPool } from './files/worker-pool';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { ERROR_MESSAGES, LIMITS } from '@kesu/shared';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { serializerCompiler } from './http/serializer';
import type { AppDeps } from './deps';
import { registerErrorHandler } from './http/error-handler';
import {
  registerCsrfCheck,
  registerNulGuard,
  registerSecurityHeaders,
  registerSessionAuth,
} from './http/security';
import { registerPublicRateLimit } from './http/rate-limit';
import { newId } from './ids';
import { activitiesRoutes } from './modules/activities/activities.routes';
import { allocationsRoutes } from './modules/allocations/allocations.routes';
import { indicatorBindingsRoutes } from './modules/plans/indicator-bindings.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { jurisdictionsRoutes } from './modules/jurisdictions/jurisdictions.routes';
import { authenticate } from './modules/auth/auth.service';
import { createNotifier } from './modules/notifications/notification-channels';
import { dashboardsRoutes } from './modules/dashboards/dashboards.routes';
import { demoRoutes } from './modules/demo/demo.routes';
import { exchangeRoutes } from './modules/exchange/exchange.routes';
import { assessmentsRoutes } from './modules/assessments/assessments.routes';
import { documentsRoutes } from './modules/documents/documents.routes';
import { fundingRoutes } from './modules/funding/funding.routes';
import { capacityRoutes } from './modules/capacity/capacity.routes';
import { recognitionsRoutes } from './modules/recognitions/recognitions.routes';
import { contentRoutes } from './modules/content/content.routes';
import { healthRoutes } from './modules/health/health.routes';
import { instrumentsRoutes } from './modules/instruments/instruments.routes';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { openDataRoutes } from './modules/opendata/opendata.routes';
import { plansRoutes } from './modules/plans/plans.routes';
import { registriesRoutes } from './modules/registries/registries.routes';
import { reportingRoutes } from './modules/reporting/reporting.routes';
import { supervisionRoutes } from './modules/supervision/supervision.routes';
import { createJobQueue } from './jobs';
import { createFileStorage } from './storage';
import { surveysRoutes } from './modules/surveys/surveys.routes';
import { unitsRoutes } from './modules/units/units.routes';
import { usersRoutes } from './modules/users/users.routes';

/** The web app built by Vite, beside this bundle in the repository. */
function defaultWebDist(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // server/dist/cli.js and server/src/app.ts are both two levels below the repository root.
  return path.resolve(here, '../../web/dist');
}

export interface BuildOptions {
  /** pino logger for requests; tests pass none (silent). */
  logger?: FastifyBaseLogger;
  /** Serve the built web app (production); tests leave it off. */
  serveWeb?: boolean;
}

/** Build the HTTP application. Listens nowhere: main.ts listens, tests call app.inject(). */
export async function buildApp(deps: AppDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: LIMITS.jsonBodyBytes,
    // A hop count trusts the nearest `n` proxies (what proxy-addr does for a number); a list trusts those addresses.
    trustProxy:
      typeof deps.config.trustProxy === 'number'
        ? (
            (hops: number) => (_addr: string, i: number) =>
              i < hops
          )(deps.config.trustProxy)
        : deps.config.trustProxy,
    genReqId: () => newId(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'kesu 科素 API', version: '1', description: '全民科学素质行动规划管理系统接口' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'kesu_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  // Before the routes (it marks the public ones in the OpenAPI document) and before the session is read.
  await registerPublicRateLimit(app, deps.config.publicRateLimit, deps.db.kysely, deps.db.dialect);

  registerSecurityHeaders(app);
  registerCsrfCheck(app, deps.config.trustedOrigins);
  registerSessionAuth(app, (token) => authenticate(deps.db.kysely, token));
  registerNulGuard(app);

  // One notifier for every module; deliveries in flight finish (and SMTP connections close) before the app does.
  const notifier =
    deps.notifier ??
    createNotifier(
      { ...deps.config, publicUrl: deps.config.trustedOrigins[0] ?? null },
      app.log,
      deps.db.kysely,
    );
  deps = { ...deps, notifier };
  app.addHook('onClose', () => notifier.close());
  // One worker pool per process (files/worker-pool.ts), its threads ended with the app.
  configureWorkerPool(deps.config.workerThreads);
  app.addHook('onClose', () => closeWorkerPool());
  // One job queue: main.ts starts it and passes it in; otherwise (tests, the CLI) the app owns one for its lifetime.
  let jobs = deps.jobs;
  if (!jobs) {
    const own = createJobQueue(deps.config, (err) =>
      app.log.error({ err: err.message }, 'background job failed'),
    );
    await own.start();
    app.addHook('onClose', () => own.stop());
    jobs = own;
  }
  deps = { ...deps, jobs, storage: deps.storage ?? createFileStorage(deps.config, deps.db.kysely) };

  healthRoutes(app, deps);
  authRoutes(app, deps);
  jurisdictionsRoutes(app, deps);
  unitsRoutes(app, deps);
  usersRoutes(app, deps);
  auditRoutes(app, deps);
  instrumentsRoutes(app, deps);
  plansRoutes(app, deps);
  allocationsRoutes(app, deps);
  indicatorBindingsRoutes(app, deps);
  registriesRoutes(app, deps);
  activitiesRoutes(app, deps);
  reportingRoutes(app, deps);
  dashboardsRoutes(app, deps);
  exchangeRoutes(app, deps);
  demoRoutes(app, deps);
  fundingRoutes(app, deps);
  assessmentsRoutes(app, deps);
  await documentsRoutes(app, deps);
  contentRoutes(app, deps);
  capacityRoutes(app, deps);
  recognitionsRoutes(app, deps);
  await supervisionRoutes(app, deps);
  notificationsRoutes(app, deps);
  openDataRoutes(app, deps);
  await surveysRoutes(app, deps);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webDist = deps.config.webDist ?? defaultWebDist();
  const hasWeb = opts.serveWeb === true && fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const isPage =
      req.method === 'GET' && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0] ?? '');
    if (hasWeb && isPage) return reply.type('text/html').sendFile('index.html');
    return reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: ERROR_MESSAGES.NOT_FOUND, requestId: req.id } });
  });
  return app;
}
