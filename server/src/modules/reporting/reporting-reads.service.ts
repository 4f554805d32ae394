/** What other modules may read of cycles and reports: they come here, never to reporting.repository. */
export {
  cycleRowsOfPlan,
  cycleValueNotes,
  findCycleRow,
  findReportRow,
  reportRowsOfUnit,
  returnEventRows,
  unitAssignments,
  valueRows,
} from './reporting.repository';
