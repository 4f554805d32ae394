import type { Role } from '@kesu/shared';
import { expect, it } from 'vitest';
import type { AuthUser } from '../../context';
import {
  canCreateReport,
  canEditReport,
  canManageCycles,
  canReadCycles,
  canReadIndicatorStatus,
  canReadInbox,
  canReadReport,
  canReviewReports,
  canUploadAttachment,
} from './reporting.policy';

type Who = Role | 'public';
const WHO: Who[] = ['public', 'admin', 'reporter', 'leader', 'analyst'];

/** The reporter belongs to unit A; "own" records are unit A's, "other" records unit B's. */
function userOf(who: Who): AuthUser | null {
  if (who === 'public') return null;
  return {
    id: 'U',
    username: who,
    displayName: who,
    role: who,
    unitId: who === 'reporter' ? 'A' : null,
    mustChangePassword: false,
    jurisdictionId: null,
    jurisdictionPath: null,
  };
}

const own = (state: string) => ({ unitId: 'A', state });
const other = (state: string) => ({ unitId: 'B', state });

/** Roles × actions, extending server/src/http/policy-matrix.test.ts. `allowed` lists who may. */
const MATRIX: Record<string, { policy: (u: AuthUser | null) => boolean; allowed: Who[] }> = {
  'cycles.read': { policy: canReadCycles, allowed: ['admin', 'reporter', 'leader', 'analyst'] },
  'cycles.manage': { policy: canManageCycles, allowed: ['admin'] },
  'inbox.read own unit': {
    policy: (u) => canReadInbox(u, 'A'),
    allowed: ['admin', 'reporter', 'leader', 'analyst'],
  },
  'inbox.read other unit': { policy: (u) => canReadInbox(u, 'B'), allowed: ['admin', 'leader', 'analyst'] },
  'report.read own draft': {
    policy: (u) => canReadReport(u, own('draft')),
    allowed: ['admin', 'reporter', 'leader', 'analyst'],
  },
  'report.read other unit draft': {
    policy: (u) => canReadReport(u, other('draft')),
    allowed: ['admin', 'leader', 'analyst'],
  },
  'report.read other unit approved': {
    policy: (u) => canReadReport(u, other('approved')),
    allowed: ['admin', 'leader', 'analyst'],
  },
  'report.create own unit': { policy: (u) => canCreateReport(u, 'A'), allowed: ['reporter'] },
  'report.create other unit': { policy: (u) => canCreateReport(u, 'B'), allowed: [] },
  'report.edit own draft': { policy: (u) => canEditReport(u, own('draft')), allowed: ['reporter'] },
  'report.edit own returned': { policy: (u) => canEditReport(u, own('returned')), allowed: ['reporter'] },
  'report.edit own submitted': { policy: (u) => canEditReport(u, own('submitted')), allowed: [] },
  'report.edit own approved': { policy: (u) => canEditReport(u, own('approved')), allowed: [] },
  'report.edit other unit draft': { policy: (u) => canEditReport(u, other('draft')), allowed: [] },
  'attachment.upload own draft': {
    policy: (u) => canUploadAttachment(u, own('draft')),
    allowed: ['reporter'],
  },
  'attachment.upload other unit draft': {
    policy: (u) => canUploadAttachment(u, other('draft')),
    allowed: [],
  },
  'report.review': { policy: canReviewReports, allowed: ['admin'] },
  'indicators.status.read': {
    policy: canReadIndicatorStatus,
    allowed: ['admin', 'reporter', 'leader', 'analyst'],
  },
};

it.each(Object.entries(MATRIX).flatMap(([action, row]) => WHO.map((who) => [action, who, row] as const)))(
  'policy %s for %s',
  (_action, who, row) => {
    expect(row.policy(userOf(who))).toBe(row.allowed.includes(who));
  },
);

it('a reporter without a unit may do nothing of a unit', () => {
  const u = { ...userOf('reporter')!, unitId: null };
  expect(canReadReport(u, own('draft'))).toBe(false);
  expect(canCreateReport(u, 'A')).toBe(false);
});
