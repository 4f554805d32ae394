import { type AuthUser, worksIn } from '../../context';

/** Every signed-in user reads the registries of its jurisdiction subtree (the level above reads the level below). */
export function canReadRegistries(user: AuthUser | null): boolean {
  return user !== null;
}

/** Admins and units' users keep registry records; leaders and analysts only read. */
export function canWriteRegistries(user: AuthUser | null): boolean {
  if (user?.role === 'admin') return true;
  return user?.role === 'reporter' && user.unitId !== null && !user.unitInactive;
}

/**
 * Who changes a record: a unit's user the records its unit keeps; an admin every record of the jurisdiction it works
 * in and those its own jurisdiction's units keep below it (a city bureau's record of a base in a county). The level
 * above otherwise only reads.
 */
export function canEditRecord(
  user: AuthUser | null,
  rec: { jurisdictionId: string; unitId: string; unitJurisdictionId: string | null },
): boolean {
  if (!user || !canWriteRegistries(user)) return false;
  if (user.role === 'reporter') return user.unitId === rec.unitId;
  return (
    worksIn(user, rec.jurisdictionId) ||
    (rec.unitJurisdictionId !== null && worksIn(user, rec.unitJurisdictionId))
  );
}
