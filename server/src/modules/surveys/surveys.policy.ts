import { type AuthUser, isRootStaff } from '../../context';

/** Analysts and the coordinating office upload and manage survey waves (docs/DOMAIN.md §2). */
export function canManageSurveys(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin', 'analyst');
}

/** Leaders also read every wave and estimate; reporters do not. */
export function canReadSurveys(user: AuthUser | null): boolean {
  return canManageSurveys(user) || isRootStaff(user, 'leader');
}

/** Population margins are entered by the admin or an analyst. */
export function canManageMargins(user: AuthUser | null): boolean {
  return canManageSurveys(user);
}

export function canReadMargins(user: AuthUser | null): boolean {
  return canReadSurveys(user);
}
