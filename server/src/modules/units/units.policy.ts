import type { AuthUser } from '../../context';

/** Everyone signed in reads the unit registry (reporters pick units, leaders read names). */
export function canReadUnits(user: AuthUser | null): boolean {
  return user !== null;
}

/** Only the coordinating office changes the registry. */
export function canManageUnits(user: AuthUser | null): boolean {
  return user?.role === 'admin';
}
