import pino from 'pino';
import { buildApp } from './app';
import type { Config } from './config';
import { openDatabase } from './db/database';
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
  const app = await buildApp({ config, db, notifier, readiness }, { logger, serveWeb: true });
  await app.listen({ host: config.host, port: config.port });
  let setup: Awaited<ReturnType<typeof prepareDatabase>>;
  try {
    setup = await prepareDatabase(db, config);
  } catch (err) {
    // A node that cannot migrate must not linger not-ready: stop listening and fail the start.
    await app.close();
    await db.close();
    throw err;
  }
  if (setup.migrations.length) logger.info({ migrations: setup.migrations }, 'database migrated');
  if (setup.unitsSeeded) logger.info({ units: setup.unitsSeeded }, 'Xuzhou units loaded');
  migrated.done();
  // After setup (the tables exist). Reporting reminders (cycle opened, due soon, overdue): each event once, even with several processes.
  const reminders =
    config.reminderIntervalMinutes > 0
      ? scheduleEvery(
          config.reminderIntervalMinutes * 60_000,
          () =>
            runReminders(db.kysely, notifier, {
              timeZone: config.timeZone,
              daysBefore: config.reminderDaysBefore,
            }),
          logger,
          'reporting reminders',
        )
      : null;
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
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
