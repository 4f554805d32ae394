import type { Role } from '@kesu/shared';
import { type AuthUser, worksIn } from '../../context';

/** Only the coordinating office manages accounts. */
export function canManageUsers(user: AuthUser | null): boolean {
  return user?.role === 'admin';
}

/**
 * Which accounts an admin manages: those of the jurisdiction it works in, and the admins of its direct children (a
 * city admin opens each county admin's account; the county admin manages the county's other accounts).
 */
export function canManageUserIn(
  admin: AuthUser,
  target: { jurisdictionId: string | null; parentId: string | null; role: Role },
): boolean {
  if (!canManageUsers(admin)) return false;
  if (worksIn(admin, target.jurisdictionId)) return true;
  return target.role === 'admin' && target.parentId !== null && target.parentId === admin.jurisdictionId;
}
