import type { AuthUser } from '../../context';

/** Everyone signed in reads plans: reporters their tasks, leaders everything. */
export function canReadPlans(user: AuthUser | null): boolean {
  return user !== null;
}

/** Only the coordinating office imports, edits and publishes plans. */
export function canManagePlans(user: AuthUser | null): boolean {
  return user?.role === 'admin';
}

/** The public (not signed in) reads the version the admin published; anyone signed in may too. */
export function canReadPublishedPlan(_user: AuthUser | null): boolean {
  return true;
}
