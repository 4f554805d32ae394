/** What other modules may read of 督办 notices: they come here, never to supervision.repository. */
export { type NoticeRow, noticeRowsOfUnits } from './supervision.repository';
