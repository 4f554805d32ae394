/** What other modules may read of the evaluation's inputs: they come here, never to progress.repository. */
export { type ApprovedValueRow, approvedValueRows, countyRows } from './progress.repository';
