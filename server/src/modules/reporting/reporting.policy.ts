import { type AuthUser, isRootStaff } from '../../context';

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

export function canManageCycles(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin');
}

/** A unit's inbox: its own reporters, and everyone who reads all reports. */
export function canReadInbox(user: AuthUser | null, unitId: string): boolean {
  if (!user) return false;
  if (isRootStaff(user, 'admin', 'leader', 'analyst')) return true;
  return user.role === 'reporter' && user.unitId === unitId;
}

/** Reporters read their own unit's reports (drafts included) and nothing of other units. */
export function canReadReport(user: AuthUser | null, report: Pick<ReportScope, 'unitId'>): boolean {
  return canReadInbox(user, report.unitId);
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

/** The admin reviews (approve / return); nobody else. */
export function canReviewReports(user: AuthUser | null): boolean {
  return isRootStaff(user, 'admin');
}

/** Indicator actuals are aggregates of approved reports: every signed-in user reads them. */
export function canReadIndicatorStatus(user: AuthUser | null): boolean {
  return user !== null;
}
