import type { AuthUser } from '../../context';

/** Admins of any level manage science content for their own jurisdiction (and read what levels below published). */
export function canManageContent(user: AuthUser): boolean {
  return user.role === 'admin';
}
