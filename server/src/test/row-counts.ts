import type { Kysely } from 'kysely';
import { BACKUP_TABLES } from '../db/backup';
import type { Database } from '../db/schema';

/** Rows per table of the whole schema (every table a backup copies). */
export async function tableRowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of BACKUP_TABLES) {
    const r = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}
