/** What other modules may read of units: they come here, never to units.repository. */
export { allUnitRows, findUnitRow } from './units.repository';
