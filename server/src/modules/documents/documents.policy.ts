import type { AuthUser } from '../../context';

/**
 * A level's documents (进展通报, annual report, any unit's summary, any notice's 通知书): its admins, leaders and
 * analysts; the service checks the subject is in the user's jurisdiction subtree (else not found).
 */
export function canMakeLevelDocuments(user: AuthUser | null): boolean {
  return user?.role === 'admin' || user?.role === 'leader' || user?.role === 'analyst';
}

/** A unit's own users: its own year summary (and the 通知书 addressed to it, as the supervision module decides). */
export function canMakeOwnUnitSummary(user: AuthUser | null, unitId: string): boolean {
  return user?.role === 'reporter' && user.unitId === unitId;
}

/** The level's admin edits the text of its documents. */
export function canEditDocumentTemplates(user: AuthUser | null): boolean {
  return user?.role === 'admin';
}
