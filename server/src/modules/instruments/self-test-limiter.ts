/**
 * A sliding-window counter per client address, in memory: enough to stop one address from filling the results
 * table, with no personal data stored (addresses live only in this process, for one window). Each server process
 * counts on its own.
 */
export class WindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count one attempt; false when the address already used up its window. */
  take(key: string): boolean {
    const t = this.now();
    const since = t - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((x) => x > since);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return false;
    }
    list.push(t);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.prune(since);
    return true;
  }

  private prune(since: number): void {
    for (const [k, list] of this.hits) if (!list.some((x) => x > since)) this.hits.delete(k);
  }
}
