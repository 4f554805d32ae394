import type { Config } from '../config';
import type { Db } from '../db/database';
import { createNotifier, type Notifier } from '../modules/notifications/notification-channels';

/** What route plugins receive: no globals. */
export interface AppDeps {
  config: Config;
  db: Db;
  /** One notifier per app (buildApp makes it when not given): in-app, e-mail, webhook. */
  notifier?: Notifier;
}

/** The app's notifier (made once by buildApp). */
export function notifierOf(deps: AppDeps, log: { warn(obj: object, msg: string): void }): Notifier {
  if (!deps.notifier) {
    deps.notifier = createNotifier(
      { ...deps.config, publicUrl: deps.config.trustedOrigins[0] ?? null },
      log,
      deps.db.kysely,
    );
  }
  return deps.notifier;
}
