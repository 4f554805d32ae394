import type { AlertList } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { ALERT_SOURCES, type AlertSource } from './alert-sources';
import { todayUtc } from './notice-state';
import { canReadAlerts } from './supervision.policy';
import { openNoticesByAlertKey } from './supervision.repository';

/** The part of pino the scan uses. */
export interface ScanLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Compute alerts now from every registered source (on demand: nothing is stored until the admin turns one into a
 * notice). A failing source is logged and named in `failedSources`; the others still answer. Each alert says
 * whether an unclosed notice was already made from it.
 */
export async function scanAlerts(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { now?: Date; sources?: readonly AlertSource[]; log?: ScanLogger } = {},
): Promise<AlertList> {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  if (!canReadAlerts(ctx.user)) throw new AppError('FORBIDDEN');
  const today = todayUtc(opts.now);
  const failedSources: string[] = [];
  const candidates = [];
  for (const source of opts.sources ?? ALERT_SOURCES) {
    try {
      candidates.push(...(await source.collect(db, ctx, today)));
    } catch (err) {
      failedSources.push(source.name);
      opts.log?.warn(
        { source: source.name, err: err instanceof Error ? err.message : String(err) },
        'alert source failed',
      );
    }
  }
  const made = await openNoticesByAlertKey(
    db,
    candidates.map((c) => c.key),
  );
  const items = candidates
    .map((c) => ({ ...c, noticeId: made.get(c.key) ?? null }))
    .sort((a, b) => a.since.localeCompare(b.since) || a.key.localeCompare(b.key));
  return { today, items, failedSources };
}
