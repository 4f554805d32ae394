/** What other modules may read of plans, versions, tasks and indicators: they come here, never to plans.repository. */
export {
  contentOfTasks,
  findIndicatorRow,
  findPlanRow,
  findTaskRow,
  findVersionHead,
  planJurisdictionPath,
  planRowsOfJurisdiction,
  taskLinkRows,
  taskRowsOfVersion,
  versionHeads,
} from './plans.repository';
export { boundIndicators } from './indicator-bindings';
