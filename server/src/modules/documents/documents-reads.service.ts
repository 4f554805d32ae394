/**
 * What other modules may use of the documents module: a government document (GB/T 9704 form) from blocks, and a bar
 * chart as a PNG to put in one — e.g. an assessment 通报 or a 表彰决定 made by its own module — and the shape of the
 * year's assessment standings the annual report takes (by default `frozenStandingsOfYear` of the assessments module).
 */
export { type BarChartSpec, barChart, type ChartImage } from './charts';
export type { AssessmentStanding, AssessmentStandingsProvider } from './documents.service';
export {
  chineseDate,
  type DataNote,
  dataNoteText,
  type GovBlock,
  type GovDocument,
  renderGovDocx,
} from './gov-document';
