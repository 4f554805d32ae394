import { type AuthUser, isRootStaff } from '../../context';

/** The coordinating office issues notices. */
export function canIssueNotice(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin');
}

/** The coordinating office closes (销号) or returns (退回) a done notice. */
export function canReviewNotice(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin');
}

/** A reporter signs, replies to and finishes only notices addressed to their own unit. */
export function canHandleNotice(user: AuthUser | null, notice: { unitId: string }): boolean {
  return user?.role === 'reporter' && user.unitId !== null && user.unitId === notice.unitId;
}

/** Admins, leaders and analysts read every notice and the alert list. */
export function canReadAllNotices(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin', 'leader', 'analyst');
}

/** One notice: every reader of all, or the unit it is addressed to. */
export function canReadNotice(user: AuthUser | null, notice: { unitId: string }): boolean {
  return canReadAllNotices(user) || canHandleNotice(user, notice);
}

/** Alerts (overdue reports, red indicators, overdue notices): what the office acts on; leaders and analysts read. */
export function canReadAlerts(user: AuthUser | null): boolean {
  return canReadAllNotices(user);
}
