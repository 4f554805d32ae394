import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../../context';
import {
  canManageRubric,
  canReadAllResults,
  canSeeRubric,
  type RubricScope,
  subjectOf,
} from './assessments.policy';

const CITY = 'CITY00000000000000000000AA';
const FENG = 'FENG00000000000000000000AA';
const PEI = 'PEI000000000000000000000AA';
const UNIT = 'UNIT00000000000000000000AA';
const OTHER_UNIT = 'UNIT00000000000000000000BB';

const user = (
  role: AuthUser['role'],
  at: 'city' | 'feng' | 'pei',
  unitId: string | null = null,
): AuthUser => ({
  id: 'U',
  username: 'u',
  displayName: 'u',
  role,
  unitId,
  mustChangePassword: false,
  jurisdictionId: at === 'city' ? CITY : at === 'feng' ? FENG : PEI,
  jurisdictionPath: at === 'city' ? `/${CITY}/` : `/${CITY}/${at === 'feng' ? FENG : PEI}/`,
});

const units: RubricScope = { jurisdictionId: CITY, jurisdictionPath: `/${CITY}/`, audience: 'units' };
const counties: RubricScope = { ...units, audience: 'counties' };
const subjects = new Set([UNIT, FENG]);

/**
 * Who may do what with a city rubric, as a matrix: [who, manage, read all, subject it stands for, sees units rubric,
 * sees counties rubric]. A county's admin stands for its county in the counties rubric only; a unit's reporter for
 * its unit in the units rubric only, and only when the unit is assessed.
 */
const MATRIX: [string, AuthUser, boolean, boolean, string | null, boolean, boolean][] = [
  ['city admin', user('admin', 'city'), true, true, null, true, true],
  ['city leader', user('leader', 'city'), false, true, null, true, true],
  ['city analyst', user('analyst', 'city'), false, true, null, true, true],
  ['assessed unit reporter', user('reporter', 'city', UNIT), false, false, UNIT, true, false],
  ['other unit reporter', user('reporter', 'city', OTHER_UNIT), false, false, OTHER_UNIT, false, false],
  ['丰县 admin', user('admin', 'feng'), false, false, FENG, false, true],
  ['沛县 admin (not assessed here)', user('admin', 'pei'), false, false, PEI, false, false],
  ['丰县 leader', user('leader', 'feng'), false, false, null, false, false],
];

describe('assessments policy matrix', () => {
  it.each(MATRIX)('%s', (_name, u, manage, readAll, subject, seesUnits, seesCounties) => {
    expect(canManageRubric(u, units)).toBe(manage);
    expect(canManageRubric(u, counties)).toBe(manage);
    expect(canReadAllResults(u, units)).toBe(readAll);
    const own = u.role === 'reporter' ? subjectOf(u, units) : subjectOf(u, counties);
    expect(own).toBe(subject);
    expect(canSeeRubric(u, units, subjects)).toBe(seesUnits);
    expect(canSeeRubric(u, counties, subjects)).toBe(seesCounties);
  });
});
