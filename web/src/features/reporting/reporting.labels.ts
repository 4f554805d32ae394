import { type InboxState, LIGHT_NAMES, type ReportState } from '@kesu/shared';

export const LIGHT_LABELS = LIGHT_NAMES;
export const LIGHT_COLORS = { green: 'green', yellow: 'gold', red: 'red', no_data: 'default' } as const;
export const STATE_COLORS: Record<ReportState, string> = {
  draft: 'default',
  submitted: 'blue',
  returned: 'orange',
  approved: 'green',
};
export const INBOX_COLORS: Record<InboxState, string> = {
  due: 'blue',
  overdue: 'red',
  returned: 'orange',
  draft: 'default',
  submitted: 'cyan',
  approved: 'green',
};
