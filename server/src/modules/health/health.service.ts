import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { pingDatabase } from './health.repository';

/** Whether the database answers: readiness of the server. */
export async function databaseReady(db: Kysely<Database>): Promise<boolean> {
  try {
    await pingDatabase(db);
    return true;
  } catch {
    return false;
  }
}
