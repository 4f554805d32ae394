import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

interface State<V> {
  /** The fingerprint read in flight, and the next one, not started yet, which callers arriving now join. */
  running: Promise<string> | null;
  pending: Promise<string> | null;
  fingerprint: string;
  entries: Map<string, Promise<V>>;
}

/**
 * Computed values (the evaluated overview) kept while a fingerprint of their inputs is unchanged — the idea of
 * db/read-cache.ts, plus two things a heavy, hot read needs:
 * - The fingerprint read is shared: every caller joins the next read that has not started yet (never one already
 *   running, which may predate a write the caller has seen committed), which starts when the running one ends, or on
 *   the next turn of the event loop when none runs. So every caller sees every write committed before it asked, at
 *   most one read runs at a time, and requests that arrive together share one read — also on SQLite, whose
 *   synchronous read would otherwise end before the next request is even parsed, leaving each request a read of its
 *   own (bench/province.bench.ts: 20 req/s), and on PostgreSQL, where reads started per small batch piled up.
 * - Concurrent misses of one key share one computation.
 */
export class CoalescingCache<V> {
  private readonly byDb = new WeakMap<Kysely<Database>, State<V>>();

  constructor(
    private readonly fingerprint: (db: Kysely<Database>) => Promise<string>,
    private readonly maxEntries = 100,
  ) {}

  private state(db: Kysely<Database>): State<V> {
    let s = this.byDb.get(db);
    if (!s) {
      s = { running: null, pending: null, fingerprint: '', entries: new Map() };
      this.byDb.set(db, s);
    }
    return s;
  }

  /**
   * A fingerprint read that starts after this call: the next one, shared by every caller until it starts — on the
   * next turn of the event loop, or when the read in flight ends. At most one read runs at a time.
   */
  private readFingerprint(db: Kysely<Database>, s: State<V>): Promise<string> {
    if (s.pending) return s.pending;
    const after = s.running
      ? s.running.then(
          () => undefined,
          () => undefined,
        )
      : new Promise<void>((r) => setImmediate(r));
    const p: Promise<string> = after.then(() => {
      if (s.pending === p) s.pending = null;
      const run = this.fingerprint(db);
      s.running = run;
      const clear = () => {
        if (s.running === run) s.running = null;
      };
      run.then(clear, clear);
      return run;
    });
    s.pending = p;
    return p;
  }

  async get(db: Kysely<Database>, key: string, load: () => Promise<V>): Promise<V> {
    const s = this.state(db);
    const fp = await this.readFingerprint(db, s);
    if (s.fingerprint !== fp) {
      s.fingerprint = fp;
      s.entries = new Map();
    }
    const hit = s.entries.get(key);
    if (hit) return hit;
    // Computed after the fingerprint was read, so the value is at least as new as the fingerprint says.
    const entries = s.entries;
    const p = load();
    if (entries.size >= this.maxEntries) entries.clear();
    entries.set(key, p);
    p.catch(() => {
      if (entries.get(key) === p) entries.delete(key);
    });
    return p;
  }
}
