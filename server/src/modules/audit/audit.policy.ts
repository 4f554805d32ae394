import { type AuthUser, isRootStaff } from '../../context';

/** Only the coordinating office reads the audit trail. Nobody edits or deletes it: there is no action for that. */
export function canReadAudit(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin');
}
