import { type AuthUser, readsJurisdiction, worksIn } from '../../context';

/**
 * Who may do what with 科普活动: a unit's clerk records and edits its own unit's activities; the admin of a
 * jurisdiction all those held in it or organised by its units; the levels above read; other jurisdictions see nothing.
 */

/** Everyone signed in reads activities of its own jurisdiction's subtree (the service scopes by jurisdiction). */
export function canReadActivities(user: AuthUser | null): boolean {
  return user !== null;
}

/** Clerks (for their own unit) and admins (for their jurisdiction) record activities. */
export function canRecordActivities(user: AuthUser | null): boolean {
  return (user?.role === 'reporter' && user.unitId !== null && !user.unitInactive) || user?.role === 'admin';
}

/** Whether the user reads an activity held in the jurisdiction with this path. */
export function canReadActivity(user: AuthUser, activity: { jurisdictionPath: string }): boolean {
  return readsJurisdiction(user, activity.jurisdictionPath);
}

/**
 * Whether the user edits (and deletes, and adds files to) an activity: its organiser unit's clerk, or the admin of
 * the jurisdiction where it was held or whose unit organised it.
 */
export function canEditActivity(
  user: AuthUser,
  activity: { organiserUnitId: string; jurisdictionId: string; organiserJurisdictionId: string | null },
): boolean {
  if (user.role === 'reporter') return !user.unitInactive && user.unitId === activity.organiserUnitId;
  if (user.role === 'admin')
    return (
      worksIn(user, activity.jurisdictionId) ||
      (activity.organiserJurisdictionId !== null && worksIn(user, activity.organiserJurisdictionId))
    );
  return false;
}
