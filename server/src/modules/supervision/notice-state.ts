import {
  NOTICE_ACTION_LABELS,
  NOTICE_OPEN_STATES,
  NOTICE_STATE_LABELS,
  NOTICE_TRANSITIONS,
  type NoticeAction,
  type NoticeState,
} from '@kesu/shared';
import { AppError } from '../../errors';

export type NoticeStep = Exclude<NoticeAction, 'issue'>;

/**
 * The state a step leads to, or NOTICE_INVALID_TRANSITION naming the state and the step ("督办单已销号，不能签收").
 * `reply` keeps the state.
 */
export function nextNoticeState(state: NoticeState, step: NoticeStep): NoticeState {
  const t = NOTICE_TRANSITIONS[step];
  if (!t.from.includes(state)) {
    throw new AppError(
      'NOTICE_INVALID_TRANSITION',
      `督办单${NOTICE_STATE_LABELS[state]}，不能${NOTICE_ACTION_LABELS[step]}（仅${t.from
        .map((s) => NOTICE_STATE_LABELS[s])
        .join('、')}的督办单可以${NOTICE_ACTION_LABELS[step]}）`,
      { state, action: step, allowedFrom: t.from },
    );
  }
  return t.to ?? state;
}

/** Open (issued, signed, returned) and past its deadline: `today` > `deadline`, both YYYY-MM-DD. */
export function isNoticeOverdue(state: NoticeState, deadline: string, today: string): boolean {
  return NOTICE_OPEN_STATES.includes(state) && deadline < today;
}

/** Today as YYYY-MM-DD (UTC), like the reporting module's due dates. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A date `days` after `date` (YYYY-MM-DD, UTC calendar arithmetic). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
