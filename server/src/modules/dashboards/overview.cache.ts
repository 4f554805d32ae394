import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

interface State<V> {
  /** The fingerprint read now in flight, and the one queued to start after it. */
  running: Promise<string> | null;
  queued: Promise<string> | null;
  fingerprint: string;
  entries: Map<string, Promise<V>>;
}

/**
 * Computed values (the evaluated overview) kept while a fingerprint of their inputs is unchanged — the idea of
 * db/read-cache.ts, plus two things a heavy, hot read needs:
 * - The fingerprint read is shared: a caller joins the read that starts next after it arrived (never one already
 *   running, which may predate a write the caller has seen committed), so 50 concurrent requests cost at most two
 *   fingerprint reads in a row, not 50, and every caller still sees every write committed before it asked.
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
      s = { running: null, queued: null, fingerprint: '', entries: new Map() };
      this.byDb.set(db, s);
    }
    return s;
  }

  /** A fingerprint read that started after this call. */
  private readFingerprint(db: Kysely<Database>, s: State<V>): Promise<string> {
    const start = (): Promise<string> => {
      const p: Promise<string> = this.fingerprint(db).finally(() => {
        if (s.running === p) s.running = null;
      });
      s.running = p;
      return p;
    };
    if (!s.running) return start();
    if (!s.queued) {
      const q = s.running
        .catch(() => undefined)
        .then(() => {
          if (s.queued === q) s.queued = null;
          return s.running ?? start();
        });
      s.queued = q;
    }
    return s.queued;
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
