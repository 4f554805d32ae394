import pino from 'pino';
import { buildApp } from './app';
import type { Config } from './config';
import { openDatabase } from './db/database';
import { createJobQueue } from './jobs';
import { createFileStorage, sweepLeftovers } from './storage';
import { everyMinutes } from './jobs/job-queue';
import { createNotifier } from './modules/notifications/notification-channels';
import { runReminders } from './modules/reporting/reminders.service';
import { pendingUntilDone, Readiness } from './readiness';
import { scheduleEvery } from './scheduler';
import { prepareDatabase, signInHelp } from './setup';

/**
 * config → db → migrate → app → listen: the only place that listens. SIGTERM/SIGINT close the server, which stops
 * accepting connections and waits for in-flight requests, then close the database.
 */
export async function startServer(config: Config): Promise<void> {
  const logger = pino({
    level: config.logLevel,
    redact: ['req.headers.cookie', 'req.headers.authorization'],
  });
  const db = openDatabase(config.database);
  // /readyz answers 503 until migrations and the one-time setup are done (other parts, e.g. the job queue, add
  // their own checks); the process listens first so a load balancer sees it alive but not yet ready.
  const readiness = new Readiness();
  const migrated = pendingUntilDone(readiness, 'migrations', '数据库迁移尚未完成');
  const notifier = createNotifier(
    { ...config, publicUrl: config.trustedOrigins[0] ?? null },
    logger,
    db.kysely,
  );
  // One job queue per process (pg-boss on PostgreSQL, in-process on SQLite): survey imports, scheduled reminders.
  // Started before the app, whose modules register their handlers on it; /readyz waits for it too.
  const jobs = createJobQueue(config, (err) => logger.error({ err: err.message }, 'background job failed'));
  readiness.add('job-queue', () => (jobs.isReady() ? null : '后台任务队列尚未就绪'));
  // Connected now (the modules register their handlers while the app is built); taking jobs waits for migrations.
  await jobs.start({ holdWork: true });
  const storage = createFileStorage(config, db.kysely);
  const app = await buildApp({ config, db, notifier, readiness, jobs, storage }, { logger, serveWeb: true });
  await app.listen({ host: config.host, port: config.port });
  let setup: Awaited<ReturnType<typeof prepareDatabase>>;
  try {
    setup = await prepareDatabase(db, config);
  } catch (err) {
    // A node that cannot migrate must not linger not-ready: stop listening and fail the start.
    await app.close();
    await jobs.stop();
    await db.close();
    throw err;
  }
  if (setup.migrations.length) logger.info({ migrations: setup.migrations }, 'database migrated');
  if (setup.unitsSeeded) logger.info({ units: setup.unitsSeeded }, 'Xuzhou units loaded');
  migrated.done();
  await jobs.beginWork();
  // What a killed process left on this node's disk (received files, copies of files the storage no longer holds).
  sweepLeftovers(config.dataDir, storage).then(
    (n) => n && logger.info({ files: n }, 'removed leftover local files'),
    (err: Error) => logger.warn({ err: err.message }, 'could not sweep leftover local files'),
  );
  // After setup (the tables exist). Reporting reminders (cycle opened, due soon, overdue): each event once, even with
  // several processes (each event is unique in reminder_sends). A whole number of minutes is a schedule on the
  // queue: one run per schedule across nodes. A fraction of a minute (tests) is a timer in each process.
  const remind = () =>
    runReminders(db.kysely, notifier, { timeZone: config.timeZone, daysBefore: config.reminderDaysBefore });
  const minutes = config.reminderIntervalMinutes;
  let reminders: { stop(): Promise<void> } | null = null;
  if (minutes > 0 && Number.isInteger(minutes)) {
    await jobs.register('reporting-reminders', async () => {
      await remind();
      return undefined;
    });
    await jobs.schedule('reporting-reminders', everyMinutes(minutes));
  } else if (minutes > 0) {
    reminders = scheduleEvery(minutes * 60_000, remind, logger, 'reporting reminders');
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // The sign-in help goes to the console as plain text, not into the JSON log.
  console.log(signInHelp(config, `http://${shownHost}:${port}`, setup).join('\n'));

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await reminders?.stop();
    await app.close();
    // Stop taking jobs and let running ones finish (a job cut off here is retried by another node, or reported).
    await jobs.stop(8000);
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
