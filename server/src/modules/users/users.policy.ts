import type { AuthUser } from '../../context';

/** Only the coordinating office manages accounts. */
export function canManageUsers(user: AuthUser | null): boolean {
  return user?.role === 'admin';
}
