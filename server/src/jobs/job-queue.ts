/**
 * Background jobs: one interface, two implementations. On PostgreSQL pg-boss (schema `pgboss`, managed by pg-boss
 * itself, not by kesu's migrations): each job runs once across nodes, a job whose node dies is retried by another node
 * once its heartbeat lapses. On SQLite (one process serves the database) an in-process queue with the same contract.
 */

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface EnqueueOptions {
  /** At most one queued-or-active job with this key per job name; a second enqueue returns null. */
  singletonKey?: string;
  /** Retries after the first failure (default 2). */
  retryLimit?: number;
  /** Start no earlier than this many seconds from now. */
  delaySeconds?: number;
}

export interface JobContext<T> {
  id: string;
  data: T;
  /** How many times this job has been tried before (0 on the first run). */
  retryCount: number;
  /** Record progress any node can read through `getJob`. */
  progress(value: Record<string, unknown>): Promise<void>;
}

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  retryCount: number;
  /** While active: the last progress recorded; when completed: the handler's result; when failed: the error. */
  output: Record<string, unknown> | null;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<Record<string, unknown> | undefined>;

export interface JobQueue {
  /** Register a handler for a job name; `concurrency` jobs of this name at once in this process. */
  register<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }): Promise<void>;
  enqueue<T extends object>(name: string, data: T, options?: EnqueueOptions): Promise<string | null>;
  getJob(name: string, id: string): Promise<JobInfo | null>;
  /** The newest job of this name with this singleton key (null: none, e.g. lost with a restarted SQLite process). */
  latestByKey(name: string, singletonKey: string): Promise<JobInfo | null>;
  /** Run job `name` (its handler registered separately) once per schedule across nodes. `cron` is 5-field, UTC. */
  schedule(name: string, cron: string): Promise<void>;
  /** Remove the schedule of job `name` (none: nothing to do); on PostgreSQL schedules outlive the process. */
  unschedule(name: string): Promise<void>;
  /**
   * Connect (PostgreSQL: pg-boss's schema). Handlers start taking jobs at once, or with `holdWork` only when
   * `beginWork` is called: a node that is still migrating must not run another node's job against the old schema.
   */
  start(opts?: { holdWork?: boolean }): Promise<void>;
  /** Let registered handlers (and those registered later) take jobs; schedules fire from then on. */
  beginWork(): Promise<void>;
  /** Stop taking jobs and wait for running ones (up to `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
  /** True between a successful start and stop. */
  isReady(): boolean;
}

/** A cron expression for "every N minutes" (N divides 60, or a whole number of hours). */
export function everyMinutes(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`every ${n} minutes: a whole number ≥ 1`);
  if (n < 60) return `*/${n} * * * *`;
  if (n % 60 === 0 && n < 1440) return `0 */${n / 60} * * *`;
  return '0 0 * * *';
}
