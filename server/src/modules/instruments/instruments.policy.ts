import type { AuthUser } from '../../context';

/** Analysts and admins work with questionnaires; leaders read everything. */
export function canReadInstruments(user: AuthUser | null): boolean {
  return user?.role === 'admin' || user?.role === 'analyst' || user?.role === 'leader';
}

/** Analysts and the coordinating office create and change questionnaires and the self-test bank. */
export function canManageInstruments(user: AuthUser | null): boolean {
  return user?.role === 'admin' || user?.role === 'analyst';
}

/** The public self-test needs no sign-in (docs/DOMAIN.md §2: 公众 may take the self-test). */
export function canTakeSelfTest(_user: AuthUser | null): boolean {
  return true;
}
