import type { Config } from './config';
import type { Db } from './db/database';
import type { JobQueue } from './jobs/job-queue';
import type { Notifier } from './modules/notifications/notification-channels';
import type { Readiness } from './readiness';
import type { FileStorage } from './storage/file-storage';

/** What route plugins receive: no globals. */
export interface AppDeps {
  config: Config;
  db: Db;
  /** One notifier per app (buildApp makes it when not given): in-app, e-mail, webhook. */
  notifier?: Notifier;
  /** Checks /readyz asks besides the database (migrations, the job queue); none when not given. */
  readiness?: Readiness;
  /** One background job queue per app (main.ts starts it; buildApp makes and starts one when not given). */
  jobs?: JobQueue;
  /** Where uploaded files live (FILE_STORAGE; buildApp makes it when not given). */
  storage?: FileStorage;
}

/** The app's file storage: buildApp makes it (when not given) before any route is registered. */
export function storageOf(deps: AppDeps): FileStorage {
  if (!deps.storage) throw new Error('buildApp registers routes only after making the file storage');
  return deps.storage;
}

/** The app's job queue: buildApp makes it (when not given) before any route is registered. */
export function jobsOf(deps: AppDeps): JobQueue {
  if (!deps.jobs) throw new Error('buildApp registers routes only after making the job queue');
  return deps.jobs;
}

/** The app's notifier: buildApp makes it (when not given) before any route is registered. */
export function notifierOf(deps: AppDeps): Notifier {
  if (!deps.notifier) throw new Error('buildApp registers routes only after making the notifier');
  return deps.notifier;
}
