import type { AuthUser } from '../../context';
import { canReadInbox } from '../reporting/reporting.policy';

/** A unit's template is downloaded by the unit itself or by a reader of all units (to look at). */
export function canDownloadTemplate(user: AuthUser, unitId: string): boolean {
  return canReadInbox(user, unitId);
}

/** Only a unit's reporter uploads a filled template (for its own unit). */
export function canUploadTemplate(user: AuthUser): boolean {
  return user.role === 'reporter' && user.unitId !== null;
}
