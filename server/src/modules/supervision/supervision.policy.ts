import { type AuthUser, isRootStaff, readsJurisdiction, worksIn } from '../../context';

/**
 * Where a notice stands: `ownerId` the level whose office issued it and closes it (the unit's jurisdiction), and
 * `addresseeId` the lower level it is addressed to when the unit is that level's government unit (丰县人民政府).
 */
export interface NoticeScope {
  ownerId: string | null;
  ownerPath: string | null;
  addresseeId: string | null;
}

/** An office (an admin at any level) issues notices — to the units of its own level, which the service checks. */
export function canIssueNotice(user: AuthUser | null): boolean {
  return user?.role === 'admin';
}

/** The office of the level that owns a notice closes (销号) or returns (退回) it once done. */
export function canReviewNotice(user: AuthUser | null, scope: NoticeScope): boolean {
  return user?.role === 'admin' && worksIn(user, scope.ownerId);
}

/**
 * A reporter signs, replies to and finishes notices addressed to its own unit; a lower level's office handles those
 * addressed to its level (the city's 督办 to a county).
 */
export function canHandleNotice(
  user: AuthUser | null,
  notice: { unitId: string },
  scope: NoticeScope | null = null,
): boolean {
  if (!user) return false;
  if (user.role === 'reporter') return user.unitId !== null && user.unitId === notice.unitId;
  return user.role === 'admin' && scope?.addresseeId != null && user.jurisdictionId === scope.addresseeId;
}

/** The root's admins, leaders and analysts read every notice; below the root, those of their own subtree. */
export function canReadAllNotices(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin', 'leader', 'analyst');
}

/** Admins, leaders and analysts of any level read the notices of their subtree (the service filters). */
export function canReadLevelNotices(user: AuthUser | null): boolean {
  return user?.role === 'admin' || user?.role === 'leader' || user?.role === 'analyst';
}

/** One notice: every reader of its subtree, or those who handle it. */
export function canReadNotice(
  user: AuthUser | null,
  notice: { unitId: string },
  scope: NoticeScope,
): boolean {
  if (canReadAllNotices(user)) return true;
  if (user && canReadLevelNotices(user) && readsJurisdiction(user, scope.ownerPath)) return true;
  return canHandleNotice(user, notice, scope);
}

/** Alerts (overdue reports, red indicators, overdue notices): what the office acts on; leaders and analysts read. */
export function canReadAlerts(user: AuthUser | null): boolean {
  return canReadAllNotices(user);
}

/**
 * Who the scheduled alert scan tells of new alerts: the office that acts on them — an admin who issues notices and
 * reads alerts (the root's admins).
 */
export function canReceiveAlertDigest(user: AuthUser | null): boolean {
  return canIssueNotice(user) && canReadAlerts(user);
}
