import type { InboxState, ReportState } from '@kesu/shared';

export const LIGHT_LABELS = { green: '绿灯', yellow: '黄灯', red: '红灯', no_data: '无数据' } as const;
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
