/** What other modules may read of the progress module's inputs: they come here, never to progress.repository. */
export { type ApprovedValueRow, approvedValueRows, countyRows } from './progress.repository';
export {
  collectObservations,
  countyIndex,
  planScope,
  populationTable,
  registryObservationSource,
} from './observation-sources';
