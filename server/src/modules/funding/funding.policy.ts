import type { AuthUser } from '../../context';

/** Everyone signed in may ask; the service then shows only a jurisdiction the user reads (others: not found). */
export function canReadFunding(_user: AuthUser): boolean {
  return true;
}

/** The admin of a level records its own 科普经费 (the service checks the jurisdiction is the admin's own). */
export function canEditFunding(user: AuthUser): boolean {
  return user.role === 'admin';
}

/** The admin of a level or of a level above it sets the per-resident standard (the service checks the level). */
export function canSetFundingStandard(user: AuthUser): boolean {
  return user.role === 'admin';
}
