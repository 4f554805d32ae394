import type { NoticeSeverity, NoticeState } from '@kesu/shared';

/** Tag colours: the severity colours themselves; states from grey (closed) to red (returned). */
export const SEVERITY_COLORS: Record<NoticeSeverity, string> = {
  yellow: 'gold',
  orange: 'orange',
  red: 'red',
};

export const NOTICE_STATE_COLORS: Record<NoticeState, string> = {
  issued: 'blue',
  signed: 'cyan',
  done: 'green',
  returned: 'volcano',
  closed: 'default',
};
