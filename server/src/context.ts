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
