import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

interface State<V> {
  /** The fingerprint read that has not started yet: callers arriving before it starts join it. */
  pending: Promise<string> | null;
  fingerprint: string;
  entries: Map<string, Promise<V>>;
}

/**
 * Computed values (the evaluated overview) kept while a fingerprint of their inputs is unchanged — the idea of
 * db/read-cache.ts, plus two things a heavy, hot read needs:
 * - The fingerprint read is shared: a read starts on the next turn of the event loop (setImmediate) after the first
 *   caller asked, and every caller arriving before it starts joins it; never one already running, which may predate
 *   a write the caller has seen committed. So every caller sees every write committed before it asked, and requests
 *   that arrive together share one read — also on SQLite, whose synchronous read would otherwise finish before the
 *   next request is even parsed, leaving each request a read of its own (bench/province.bench.ts: 20 req/s).
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
      s = { pending: null, fingerprint: '', entries: new Map() };
      this.byDb.set(db, s);
    }
    return s;
  }

  /** A fingerprint read that starts after this call (on the next turn of the event loop, shared till then). */
  private readFingerprint(db: Kysely<Database>, s: State<V>): Promise<string> {
    if (s.pending) return s.pending;
    const p: Promise<string> = new Promise<string>((resolve, reject) => {
      setImmediate(() => {
        if (s.pending === p) s.pending = null;
        this.fingerprint(db).then(resolve, reject);
      });
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
