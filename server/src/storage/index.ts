import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { databaseStorage } from './database-storage';
import type { FileStorage } from './file-storage';
import { CACHE_DIR } from './leftovers';
import { localStorage } from './local-storage';

export type { FileStorage, StoredFile } from './file-storage';
export { CACHE_DIR, INCOMING_DIR, sweepLeftovers } from './leftovers';
export { isValidKey, openUnder, StorageKeyExistsError, storeThenCommit } from './file-storage';

/** The storage FILE_STORAGE names: the local directory (DATA_DIR) or the database. */
export function createFileStorage(
  config: Pick<Config, 'fileStorage' | 'dataDir'>,
  db: Kysely<Database>,
): FileStorage {
  return config.fileStorage === 'database'
    ? databaseStorage(db, path.join(config.dataDir, CACHE_DIR))
    : localStorage(config.dataDir);
}
