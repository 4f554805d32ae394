import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema';

/** The database answers a trivial query (readiness). */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
