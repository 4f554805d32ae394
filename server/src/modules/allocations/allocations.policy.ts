import type { AuthUser } from '../../context';

/** Everyone signed in reads how an indicator was assigned down (a county sees what it was given). */
export function canReadAllocations(user: AuthUser | null): boolean {
  return user !== null;
}

/** The admin of the level that owns the indicator's plan assigns it down (the service checks the plan is its own). */
export function canAllocate(user: AuthUser | null): boolean {
  return user?.role === 'admin';
}
