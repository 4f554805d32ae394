import type { AuthUser } from '../../context';

/**
 * Whose notifications a user sees: those addressed to them, and — for a reporter — those addressed to their unit.
 * Everyone signed in has notifications; the public has none.
 */
export function notificationScope(user: AuthUser | null): { userId: string; unitId: string | null } | null {
  if (!user) return null;
  return { userId: user.id, unitId: user.role === 'reporter' ? user.unitId : null };
}
