import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { deleteLoginKeysFrom } from './credentials.repository';

/**
 * Credentials: sessions, the sign-in throttle and password hashing (password.ts). Below both the sign-in (auth) and
 * the management of accounts (users), which come here, never to credentials.repository.
 */
export {
  bumpLoginCounter,
  deleteLoginKey,
  findLiveSession,
  findUserAsSignedIn,
  insertLoginAttempt,
  insertSession,
  listLiveSessions,
  lockLoginKey,
  readLoginKey,
  revokeSessionRow,
  revokeUserSessions,
  touchSession,
  unbumpLoginCounter,
} from './credentials.repository';

/** End every sign-in lock of an account (an admin reset its password). */
export async function clearLoginLocks(db: Kysely<Database>, username: string): Promise<void> {
  await deleteLoginKeysFrom(db, `acct:${username.trim().toLowerCase()}|`);
}
