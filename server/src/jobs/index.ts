import type { Config } from '../config';
import type { JobQueue } from './job-queue';
import { localQueue } from './local-queue';
import { pgBossQueue } from './pg-boss-queue';

export type { JobQueue } from './job-queue';

/** The app's queue: pg-boss when the database is PostgreSQL, in-process on SQLite. */
export function createJobQueue(
  config: Pick<Config, 'database' | 'jobLeaseSeconds'>,
  onError?: (err: Error) => void,
): JobQueue {
  if (config.database.kind === 'postgres') {
    return pgBossQueue({
      connectionString: config.database.url,
      leaseSeconds: config.jobLeaseSeconds,
      onError,
    });
  }
  return localQueue({ onError });
}
