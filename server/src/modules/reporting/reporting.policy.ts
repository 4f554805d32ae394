import { type AuthUser, isAtRoot, isRootStaff, readsJurisdiction, worksIn } from '../../context';

/**
 * Who may do what with reporting cycles, progress reports and indicator actuals (docs/DOMAIN.md §2): the admin (纲要办)
 * defines cycles and reviews; a reporter writes only its own unit's reports; leaders and analysts read everything
 * and write nothing.
 */

/** The report fields a decision depends on. */
export interface ReportScope {
  unitId: string;
  state: string;
}

export function canReadCycles(user: AuthUser | null): boolean {
  return user !== null;
}

/**
 * Cycles are run by the admin of the plan's jurisdiction (the city's office for the city plan, a county's for its
 * 实施方案). Without a plan named, the root's office.
 */
export function canManageCycles(user: AuthUser | null, planJurisdictionId?: string | null): boolean {
  if (user?.role !== 'admin') return false;
  return planJurisdictionId === undefined ? isAtRoot(user) : worksIn(user, planJurisdictionId);
}

const OFFICE: readonly string[] = ['admin', 'leader', 'analyst'];

/**
 * A unit's inbox: its own reporters; the root's office (every unit); the office staff of a county (the units of the
 * county, given by `unitPath`, the path of the unit's jurisdiction).
 */
export function canReadInbox(user: AuthUser | null, unitId: string, unitPath: string | null = null): boolean {
  if (!user) return false;
  if (isRootStaff(user, 'admin', 'leader', 'analyst')) return true;
  if (unitPath !== null && OFFICE.includes(user.role) && readsJurisdiction(user, unitPath)) return true;
  return user.role === 'reporter' && user.unitId === unitId;
}

/** Reporters read their own unit's reports (drafts included) and nothing of other units. */
export function canReadReport(
  user: AuthUser | null,
  report: Pick<ReportScope, 'unitId'> & { unitPath?: string | null },
): boolean {
  return canReadInbox(user, report.unitId, report.unitPath ?? null);
}

/** Only the owner unit's reporters open a report (for a task their unit is assigned to). */
export function canCreateReport(user: AuthUser | null, unitId: string): boolean {
  return user?.role === 'reporter' && user.unitId === unitId && user.unitInactive !== true;
}

/** The owner unit writes, and only while the report is a draft or was returned. */
export function canEditReport(user: AuthUser | null, report: ReportScope): boolean {
  return canCreateReport(user, report.unitId) && (report.state === 'draft' || report.state === 'returned');
}

/** Evidence follows the same rule as editing. */
export function canUploadAttachment(user: AuthUser | null, report: ReportScope): boolean {
  return canEditReport(user, report);
}

/** The admin of the plan's jurisdiction reviews (approve / return); without a plan named, the root's office. */
export function canReviewReports(user: AuthUser | null, planJurisdictionId?: string | null): boolean {
  return canManageCycles(user, planJurisdictionId);
}

/** Indicator actuals are aggregates of approved reports: every signed-in user reads them. */
export function canReadIndicatorStatus(user: AuthUser | null): boolean {
  return user !== null;
}
