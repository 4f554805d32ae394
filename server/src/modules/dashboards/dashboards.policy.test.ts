import type { Role } from '@kesu/shared';
import { expect, it } from 'vitest';
import type { AuthUser } from '../../context';
import {
  canPublishSnapshots,
  canReadOverview,
  canReadSnapshotHistory,
  canSeeDrillReport,
} from './dashboards.policy';

type Who = Role | 'public';
const WHO: Who[] = ['public', 'admin', 'reporter', 'leader', 'analyst'];

/** The reporter belongs to unit A. */
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

/** Roles × actions of the dashboards: `allowed` lists who may. The public reads only published snapshots. */
const MATRIX: Record<string, { policy: (u: AuthUser | null) => boolean; allowed: Who[] }> = {
  'overview.read': { policy: canReadOverview, allowed: ['admin', 'reporter', 'leader', 'analyst'] },
  'drill: own unit report': {
    policy: (u) => canSeeDrillReport(u, 'A'),
    allowed: ['admin', 'reporter', 'leader', 'analyst'],
  },
  'drill: other unit report': {
    policy: (u) => canSeeDrillReport(u, 'B'),
    allowed: ['admin', 'leader', 'analyst'],
  },
  'snapshots.publish / unpublish': { policy: canPublishSnapshots, allowed: ['admin'] },
  'snapshots.history': { policy: canReadSnapshotHistory, allowed: ['admin', 'leader'] },
};

for (const [action, { policy, allowed }] of Object.entries(MATRIX)) {
  it(`${action}: ${allowed.join(', ')}`, () => {
    for (const who of WHO) expect(policy(userOf(who)), `${who} ${action}`).toBe(allowed.includes(who));
  });
}
