/**
 * What must be true before a node takes traffic, beyond the database answering: migrations finished, the job queue
 * started. A part of the server registers a check; /readyz answers 503 with the reasons while any check is not ready.
 * A check returns null when ready, else a Chinese reason for the operator.
 */
export type ReadinessCheck = () => string | null | Promise<string | null>;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Register (or replace) a named check, e.g. 'migrations', 'job-queue'. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** The reasons the node is not ready (empty when ready). A check that throws counts as not ready. */
  async reasons(): Promise<string[]> {
    const out: string[] = [];
    for (const [name, check] of this.checks) {
      try {
        const reason = await check();
        if (reason) out.push(reason);
      } catch {
        out.push(`就绪检查 ${name} 出错`);
      }
    }
    return out;
  }
}

/** A flag check: not ready (with `reason`) until `done()` is called. */
export function pendingUntilDone(readiness: Readiness, name: string, reason: string): { done(): void } {
  let ready = false;
  readiness.add(name, () => (ready ? null : reason));
  return {
    done() {
      ready = true;
    },
  };
}
