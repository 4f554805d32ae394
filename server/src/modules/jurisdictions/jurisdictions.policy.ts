import type { AuthUser } from '../../context';

/** Every signed-in user reads the jurisdictions of its own subtree. */
export function canReadJurisdictions(user: AuthUser | null): boolean {
  return user !== null;
}

/**
 * An admin adds children to the jurisdiction it works in (a city its counties and zones; a province its cities) and
 * edits that jurisdiction and its direct children; nothing above or beside it.
 */
export function canManageJurisdiction(
  user: AuthUser | null,
  target: { id: string; parentId: string | null },
): boolean {
  if (user?.role !== 'admin') return false;
  if (user.jurisdictionId === null) return true;
  return target.id === user.jurisdictionId || target.parentId === user.jurisdictionId;
}

/** An admin adds children only to the jurisdiction it works in. */
export function canAddChildJurisdiction(user: AuthUser | null, parentId: string): boolean {
  return user?.role === 'admin' && (user.jurisdictionId === null || user.jurisdictionId === parentId);
}
