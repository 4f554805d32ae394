import { type AuthUser, readsJurisdiction, worksIn } from '../../context';

/** Where a rubric stands: the level that owns it (its path for reading) and who it assesses. */
export interface RubricScope {
  jurisdictionId: string;
  jurisdictionPath: string;
  audience: 'units' | 'counties';
}

/** Admins manage 考核 of their own level (the service checks the level). */
export function canManageAssessments(user: AuthUser): boolean {
  return user.role === 'admin';
}

/** Any signed-in user may ask; what each sees is decided per rubric below (others: not found). */
export function canAskAssessments(_user: AuthUser): boolean {
  return true;
}

/** The level's own admin edits, computes, overrides, answers, freezes and publishes. */
export function canManageRubric(user: AuthUser, scope: RubricScope): boolean {
  return user.role === 'admin' && worksIn(user, scope.jurisdictionId);
}

/** The level's office (admins, leaders, analysts) and those above it read every subject's results. */
export function canReadAllResults(user: AuthUser, scope: RubricScope): boolean {
  return (
    (user.role === 'admin' || user.role === 'leader' || user.role === 'analyst') &&
    readsJurisdiction(user, scope.jurisdictionPath)
  );
}

/**
 * The subject a user stands for in a rubric, if any: a unit's reporter for its unit (audience units), a county's
 * admin for its county (audience counties). It sees that subject's result and appeals it.
 */
export function subjectOf(user: AuthUser, scope: RubricScope): string | null {
  if (scope.audience === 'units') return user.role === 'reporter' ? user.unitId : null;
  if (user.role !== 'admin' || user.jurisdictionId === null || user.jurisdictionId === scope.jurisdictionId)
    return null;
  return user.jurisdictionId;
}

/** Whether the user may see the rubric at all (the office, or one of its subjects); others get 404. */
export function canSeeRubric(user: AuthUser, scope: RubricScope, subjectIds: ReadonlySet<string>): boolean {
  if (canReadAllResults(user, scope)) return true;
  const s = subjectOf(user, scope);
  return s !== null && subjectIds.has(s);
}
