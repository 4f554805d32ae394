import { PgBoss } from 'pg-boss';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue } from './job-queue';

export interface PgBossQueueOptions {
  connectionString: string;
  /** A job whose worker stops heartbeating for this long is retried by another node (pg-boss: ≥ 10). */
  leaseSeconds: number;
  /** Longest a job may run at all before it is failed/retried. */
  expireInSeconds?: number;
  /** How often a node's supervisor looks for lapsed heartbeats (defaults to the lease). */
  superviseSeconds?: number;
  /** How often an idle worker polls (LISTEN/NOTIFY wakes it sooner). */
  pollingSeconds?: number;
  onError?: (err: Error) => void;
}

export function pgBossQueue(o: PgBossQueueOptions): JobQueue {
  const boss = new PgBoss({
    connectionString: o.connectionString,
    schema: 'pgboss',
    max: 4,
    superviseIntervalSeconds: o.superviseSeconds ?? o.leaseSeconds,
    monitorIntervalSeconds: o.superviseSeconds ?? o.leaseSeconds,
  });
  boss.on('error', (err: Error) => o.onError?.(err));
  let ready = false;
  let started: Promise<unknown> | null = null;
  const pending: Array<() => Promise<unknown>> = [];
  /** Workers registered before beginWork (start with holdWork). */
  let working = false;
  const held: Array<() => Promise<unknown>> = [];
  const created = new Set<string>();

  const ensureQueue = async (name: string) => {
    if (created.has(name)) return;
    await boss.createQueue(name, {
      heartbeatSeconds: Math.max(10, o.leaseSeconds),
      expireInSeconds: o.expireInSeconds ?? 3600,
      retryLimit: 2,
      // One job queued or active per singleton key (a job without a key: one at a time in the whole queue).
      policy: 'exclusive',
    });
    created.add(name);
  };

  /** Registrations before start wait for it (pg-boss needs its schema). */
  const whenStarted = async (f: () => Promise<unknown>) => {
    if (ready) await f();
    else pending.push(f);
  };

  return {
    async register<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }) {
      await whenStarted(async () => {
        await ensureQueue(name);
        const work = () =>
          boss.work<T>(
            name,
            {
              localConcurrency: options?.concurrency ?? 1,
              batchSize: 1,
              pollingIntervalSeconds: o.pollingSeconds ?? 2,
            },
            async ([job]) => {
              if (!job) return;
              return handler({
                id: job.id,
                data: job.data,
                retryCount: job.retryCount,
                progress: async (value) => {
                  await boss
                    .getDb()
                    .executeSql('UPDATE pgboss.job SET output = $1 WHERE name = $2 AND id = $3', [
                      JSON.stringify(value),
                      name,
                      job.id,
                    ]);
                },
              });
            },
          );
        if (working) await work();
        else held.push(work);
      });
    },
    async enqueue<T extends object>(name: string, data: T, options?: EnqueueOptions) {
      if (!ready) throw new Error('the job queue is not started');
      await ensureQueue(name);
      return boss.send(name, data, {
        ...(options?.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options?.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
        ...(options?.delaySeconds ? { startAfter: options.delaySeconds } : {}),
      });
    },
    async getJob(name: string, id: string): Promise<JobInfo | null> {
      if (!ready) throw new Error('the job queue is not started');
      const job = await boss.getJobById<unknown>(name, id);
      if (!job) return null;
      return {
        id: job.id,
        name: job.name,
        state: job.state,
        retryCount: job.retryCount,
        output: (job.output as Record<string, unknown> | null) ?? null,
      };
    },
    async latestByKey(name: string, singletonKey: string): Promise<JobInfo | null> {
      if (!ready) throw new Error('the job queue is not started');
      const { rows } = await boss
        .getDb()
        .executeSql(
          'SELECT id, name, state, retry_count, output FROM pgboss.job WHERE name = $1 AND singleton_key = $2 ORDER BY created_on DESC LIMIT 1',
          [name, singletonKey],
        );
      const r = rows[0] as
        | {
            id: string;
            name: string;
            state: JobInfo['state'];
            retry_count: number;
            output: Record<string, unknown> | null;
          }
        | undefined;
      return r
        ? { id: r.id, name: r.name, state: r.state, retryCount: r.retry_count, output: r.output }
        : null;
    },
    async schedule(name: string, cron: string) {
      await whenStarted(async () => {
        await ensureQueue(name);
        await boss.schedule(name, cron, {}, { tz: 'UTC' });
      });
    },
    async unschedule(name: string) {
      await whenStarted(async () => {
        await ensureQueue(name);
        await boss.unschedule(name);
      });
    },
    async start(opts) {
      started ??= boss.start();
      await started;
      ready = true;
      for (const f of pending.splice(0)) await f();
      if (!opts?.holdWork) await this.beginWork();
    },
    async beginWork() {
      working = true;
      for (const f of held.splice(0)) await f();
    },
    async stop(timeoutMs = 30_000) {
      if (!started) return;
      ready = false;
      await boss.stop({ graceful: true, close: true, timeout: timeoutMs });
    },
    isReady: () => ready,
  };
}
