import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * A read-through cache for small, read-mostly tables (the unit registry): before answering from memory it asks the
 * database for a cheap fingerprint of the table (a count and a version sum) and reloads when it changed. So every
 * process — several servers on one PostgreSQL, or the CLI writing while the server runs — sees every committed
 * write; the cache only saves re-reading and re-decoding rows that did not change.
 */
export class FingerprintCache<V> {
  private readonly byDb = new WeakMap<Kysely<Database>, { fingerprint: string; entries: Map<string, V> }>();

  constructor(
    private readonly fingerprint: (db: Kysely<Database>) => Promise<string>,
    private readonly maxEntries = 200,
  ) {}

  async get(db: Kysely<Database>, key: string, load: () => Promise<V>): Promise<V> {
    const fp = await this.fingerprint(db);
    let state = this.byDb.get(db);
    if (!state || state.fingerprint !== fp) {
      state = { fingerprint: fp, entries: new Map() };
      this.byDb.set(db, state);
    }
    const hit = state.entries.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    // Only cache what was read under the fingerprint still current, so a concurrent write is never masked.
    if ((await this.fingerprint(db)) === fp) {
      if (state.entries.size >= this.maxEntries) state.entries.clear();
      state.entries.set(key, value);
    }
    return value;
  }
}
