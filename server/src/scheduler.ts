/**
 * A small in-process timer: run `task` soon after start, then every `intervalMs`, never two runs at once. Errors are
 * logged and the next run goes ahead. Work that must happen once across processes guards itself in the database
 * (the reminders do, with a unique key per event).
 */
export interface Scheduled {
  /** Stop the timer and wait for a run in progress. */
  stop(): Promise<void>;
}

export function scheduleEvery(
  intervalMs: number,
  task: () => Promise<unknown>,
  log: { error(obj: object, msg: string): void },
  name: string,
  firstDelayMs = 1000,
): Scheduled {
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const run = () => {
    if (stopped || running) return;
    running = task()
      .then(() => undefined)
      .catch((err: unknown) =>
        log.error(
          { task: name, err: err instanceof Error ? err.message : String(err) },
          'scheduled task failed',
        ),
      )
      .finally(() => {
        running = null;
        if (!stopped) {
          timer = setTimeout(run, intervalMs);
          timer.unref();
        }
      });
  };
  timer = setTimeout(run, firstDelayMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
