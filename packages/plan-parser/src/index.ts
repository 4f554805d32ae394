/**
 * @kesu/plan-parser — pure TypeScript: the text of a 全民科学素质行动规划 implementation plan → tasks, responsible
 * units and quantitative targets (docs/DOMAIN.md §6). No I/O; callers read files and pass strings.
 */
export { CHINESE_NUMERAL_CHARS, parseChineseNumber, parseOrdinal } from './chinese-number';
export {
  isPlanParseError,
  PLAN_PARSE_ERROR_MESSAGES,
  PlanParseError,
  type PlanParseErrorCode,
} from './errors';
export { type HeadingMatch, matchHeading, splitHeadingTitle } from './headings';
export { extractMetadata, type PlanMetadata } from './metadata';
export { normalizeParagraphs, normalizeText } from './normalize';
export { type ParsePlanOptions, parsePlan, toPlanDocument } from './parse-plan';
export * from './schema';
export { extractFigures, type FigureContext, type FoundBaseline, type FoundTarget } from './targets';
export { findUnitBlocks, type UnitBlock, type UnitMention } from './units';
