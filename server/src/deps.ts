import type { Config } from './config';
import type { Db } from './db/database';
import type { Notifier } from './modules/notifications/notification-channels';

/** What route plugins receive: no globals. */
export interface AppDeps {
  config: Config;
  db: Db;
  /** One notifier per app (buildApp makes it when not given): in-app, e-mail, webhook. */
  notifier?: Notifier;
}

/** The app's notifier: buildApp makes it (when not given) before any route is registered. */
export function notifierOf(deps: AppDeps): Notifier {
  if (!deps.notifier) throw new Error('buildApp registers routes only after making the notifier');
  return deps.notifier;
}
