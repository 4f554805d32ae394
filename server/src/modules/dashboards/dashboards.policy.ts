import { type AuthUser, isRootStaff } from '../../context';
import { canReadReport } from '../reporting/reporting.policy';

/**
 * Who may see the dashboards (docs/DOMAIN.md §2). The city overview holds only aggregates of approved values and report
 * states, never a draft or an unapproved value, so every signed-in role reads it; the reports behind a number
 * follow the reporting rule (a reporter opens only its own unit's). The admin publishes; the public reads only
 * what is published.
 */
export function canReadOverview(user: AuthUser | null): boolean {
  return user !== null;
}

/** Whether this user may see the report behind a number (else it is counted as hidden). */
export function canSeeDrillReport(user: AuthUser | null, unitId: string): boolean {
  return canReadReport(user, { unitId });
}

/** Each level's office publishes its own level's dashboard (the service checks the plan is its own). */
export function canPublishSnapshots(user: AuthUser | null): boolean {
  return user?.role === 'admin';
}

/** The history of snapshots (who published, who unpublished): admins and leaders, of their own subtree. */
export function canReadSnapshotHistory(user: AuthUser | null): boolean {
  return user?.role === 'admin' || user?.role === 'leader';
}

/** The root's admins and leaders read every level's snapshot history; others their subtree's. */
export function readsAllSnapshots(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin', 'leader');
}
