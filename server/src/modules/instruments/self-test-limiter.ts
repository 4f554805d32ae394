import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { hashClientAddress } from '../../http/rate-limit';
import { claimSelfTestSlot, deleteEndedSelfTestAttempts } from './instruments.repository';

/**
 * A sliding-window limit per client address on the public self-test's submissions, counted in the database
 * (self_test_attempts) so every node on it shares the limit: enough to stop one address from filling the results
 * table. No personal data kept beyond the window: rows hold a hash of the address (hashClientAddress), each row is
 * deleted once its attempt left the window (`prune`, every PRUNE_EVERY_MS on each node), and backups leave the
 * table out.
 *
 * Fail open: when the database cannot count, the attempt is allowed and `onError` logs a warning. Refusing would
 * lock every citizen out over a broken counter; the submission itself writes to the same database anyway.
 */
export class SelfTestLimiter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count one attempt; false when the address already used up its window. */
  async take(address: string): Promise<boolean> {
    try {
      return await claimSelfTestSlot(
        this.db,
        hashClientAddress(address),
        this.max,
        new Date(this.now()),
        this.windowMs,
      );
    } catch (err) {
      this.onError(err);
      return true;
    }
  }

  /** Delete the attempts that left their window; returns how many. */
  prune(): Promise<number> {
    return deleteEndedSelfTestAttempts(this.db, new Date(this.now()));
  }
}
