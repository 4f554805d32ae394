import { randomUUID } from 'node:crypto';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue } from './job-queue';

interface LocalJob extends JobInfo {
  data: unknown;
  retryLimit: number;
  startAfter: number;
  singletonKey: string | null;
}

/**
 * The in-process queue for SQLite (one process serves the database): jobs live in this process's memory, so a job
 * does not survive the process; what must survive (an import's progress, a reminder sent) is written by the handler
 * in the database, as on PostgreSQL.
 */
export function localQueue(
  opts: {
    pollMs?: number;
    onError?: (err: Error) => void;
    /** The clock schedules and delays read (tests move it instead of waiting for a minute to turn). */
    now?: () => number;
  } = {},
): JobQueue {
  const pollMs = opts.pollMs ?? 200;
  const clock = opts.now ?? Date.now;
  const handlers = new Map<string, { handler: JobHandler<unknown>; concurrency: number; active: number }>();
  const jobs = new Map<string, LocalJob>();
  const schedules = new Map<string, { cron: string; lastMinute: number }>();
  const running = new Set<Promise<void>>();
  let ready = false;
  /** Jobs and schedules run only once work began (start without holdWork, or beginWork). */
  let working = false;
  let timer: NodeJS.Timeout | null = null;

  const run = (job: LocalJob, h: { handler: JobHandler<unknown>; active: number }) => {
    h.active++;
    job.state = 'active';
    const p = h
      .handler({
        id: job.id,
        data: job.data,
        retryCount: job.retryCount,
        progress: async (value) => {
          job.output = value;
        },
      })
      .then(
        (out) => {
          job.state = 'completed';
          job.output = out ?? job.output;
        },
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          if (job.retryCount < job.retryLimit) {
            job.retryCount++;
            job.state = 'retry';
          } else {
            job.state = 'failed';
            job.output = { error: message };
            opts.onError?.(err instanceof Error ? err : new Error(message));
          }
        },
      )
      .finally(() => {
        h.active--;
        running.delete(p);
        queueMicrotask(tick);
      });
    running.add(p);
  };

  const tick = () => {
    if (!ready || !working) return;
    const now = clock();
    const minute = Math.floor(now / 60_000);
    for (const [name, s] of schedules) {
      if (s.lastMinute !== minute && cronMatches(s.cron, new Date(minute * 60_000))) {
        s.lastMinute = minute;
        void enqueue(name, {}, { singletonKey: `schedule:${minute}` });
      }
    }
    for (const job of jobs.values()) {
      if ((job.state !== 'created' && job.state !== 'retry') || job.startAfter > now) continue;
      const h = handlers.get(job.name);
      if (!h || h.active >= h.concurrency) continue;
      run(job, h);
    }
  };

  const enqueue = async <T extends object>(name: string, data: T, options?: EnqueueOptions) => {
    const key = options?.singletonKey ?? null;
    if (key) {
      for (const j of jobs.values()) {
        if (j.name === name && j.singletonKey === key && ['created', 'retry', 'active'].includes(j.state))
          return null;
      }
    }
    const id = randomUUID();
    jobs.set(id, {
      id,
      name,
      data,
      state: 'created',
      retryCount: 0,
      retryLimit: options?.retryLimit ?? 2,
      startAfter: clock() + (options?.delaySeconds ?? 0) * 1000,
      singletonKey: key,
      output: null,
    });
    queueMicrotask(tick);
    return id;
  };

  return {
    async register<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }) {
      handlers.set(name, {
        handler: handler as JobHandler<unknown>,
        concurrency: options?.concurrency ?? 1,
        active: 0,
      });
    },
    enqueue,
    async getJob(name: string, id: string) {
      const j = jobs.get(id);
      if (!j || j.name !== name) return null;
      return { id: j.id, name: j.name, state: j.state, retryCount: j.retryCount, output: j.output };
    },
    async latestByKey(name: string, singletonKey: string) {
      let last: LocalJob | null = null;
      for (const j of jobs.values()) if (j.name === name && j.singletonKey === singletonKey) last = j;
      return last
        ? { id: last.id, name, state: last.state, retryCount: last.retryCount, output: last.output }
        : null;
    },
    async schedule(name: string, cron: string) {
      cronMatches(cron, new Date(clock())); // validates
      // From the next matching minute on, as pg-boss does: a schedule made late in a minute must not run in that
      // minute and again a moment later at the next one.
      schedules.set(name, { cron, lastMinute: Math.floor(clock() / 60_000) });
    },
    async unschedule(name: string) {
      schedules.delete(name);
    },
    async start(opts) {
      ready = true;
      timer = setInterval(tick, pollMs);
      timer.unref();
      if (!opts?.holdWork) working = true;
    },
    async beginWork() {
      working = true;
      queueMicrotask(tick);
    },
    async stop(timeoutMs = 30_000) {
      ready = false;
      if (timer) clearInterval(timer);
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((r) => setTimeout(r, timeoutMs).unref()),
      ]);
    },
    isReady: () => ready,
  };
}

/** A 5-field cron (minute hour day month weekday) with `*`, `*\/n`, numbers and lists, in UTC. */
export function cronMatches(cron: string, at: Date): boolean {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${cron}": five fields`);
  const values = [
    at.getUTCMinutes(),
    at.getUTCHours(),
    at.getUTCDate(),
    at.getUTCMonth() + 1,
    at.getUTCDay(),
  ];
  return fields.every((f, i) =>
    f.split(',').some((part) => {
      if (part === '*') return true;
      const step = /^\*\/(\d+)$/.exec(part);
      if (step) return values[i]! % Number(step[1]) === 0;
      if (/^\d+$/.test(part)) return values[i] === Number(part);
      throw new Error(`cron "${cron}": "${part}" is not supported`);
    }),
  );
}
