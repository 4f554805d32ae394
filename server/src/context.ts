import type { Role } from '@kesu/shared';

/** The signed-in user as services see it (never an HTTP object). */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  mustChangePassword: boolean;
  /** The user's unit has been deactivated (or merged away): the user still reads, but reports nothing for it. */
  unitInactive?: boolean;
  /** The jurisdiction the user works in, and its path ('/<root id>/…/<own id>/'): the user reads that subtree. */
  jurisdictionId: string | null;
  jurisdictionPath: string | null;
}

/**
 * Whether a record of a jurisdiction (given by its path) is within what the user reads: the user's jurisdiction and
 * everything below it. A record with no jurisdiction belongs to the root of the installation.
 */
export function readsJurisdiction(user: AuthUser, path: string | null): boolean {
  if (user.jurisdictionPath === null) return true;
  if (path === null) return isAtRoot(user);
  return path.startsWith(user.jurisdictionPath);
}

/** Whether the user works in the jurisdiction itself (writes what it owns), not merely above or below it. */
export function worksIn(user: AuthUser, jurisdictionId: string | null): boolean {
  if (user.jurisdictionId === null) return true;
  if (jurisdictionId === null) return isAtRoot(user);
  return user.jurisdictionId === jurisdictionId;
}

/**
 * The root jurisdiction's own staff in one of these roles. Powers that are not yet scoped by jurisdiction — reporting
 * cycles and reviews, 督办, surveys, questionnaires, the audit trail, publishing, reading every unit's reports — stay
 * with the root's staff; a county's staff manage the county's own units, accounts and plans (issue 12).
 */
export function isRootStaff(user: AuthUser | null, ...roles: Role[]): boolean {
  return user !== null && roles.includes(user.role) && isAtRoot(user);
}

/** Whether the user works at the root of the installation (the city, or the province hosting cities). */
export function isAtRoot(user: AuthUser): boolean {
  return user.jurisdictionPath === null || user.jurisdictionPath.split('/').filter(Boolean).length === 1;
}

/** Who is acting and on behalf of which request: passed from routes to services, recorded by the audit log. */
export interface Ctx {
  user: AuthUser | null;
  requestId: string | null;
  ip: string | null;
}

/** The context of work done by the `kesu` command or at start-up rather than by a signed-in user. */
export function systemCtx(): Ctx {
  return { user: null, requestId: null, ip: null };
}
