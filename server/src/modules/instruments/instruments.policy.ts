import { type AuthUser, isRootStaff } from '../../context';

/** Analysts and admins work with questionnaires; leaders read everything. */
export function canReadInstruments(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin', 'analyst', 'leader');
}

/** Analysts and the coordinating office create and change questionnaires and the self-test bank. */
export function canManageInstruments(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin', 'analyst');
}
