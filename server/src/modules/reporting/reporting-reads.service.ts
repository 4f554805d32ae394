/** What other modules may read of cycles and reports: they come here, never to reporting.repository. */
export {
  cycleValueNotes,
  findCycleRow,
  findReportRow,
  reportRowsOfUnit,
  unitAssignments,
  valueRows,
} from './reporting.repository';
