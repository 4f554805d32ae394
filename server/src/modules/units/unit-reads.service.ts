/** What other modules may read of units: they come here, never to units.repository. */
export { allUnitRows, findUnitRow, UNIT_REFERENCES, unitJurisdictionPath } from './units.repository';
