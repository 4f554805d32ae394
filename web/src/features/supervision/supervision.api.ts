import {
  AlertListSchema,
  type AlertsToNotices,
  AlertsToNoticesResultSchema,
  type NoticeCreate,
  NoticeDetailSchema,
  type NoticeLinkType,
  NoticeLinkOptionListSchema,
  type NoticeListQuery,
  NoticePageSchema,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { NOTIFICATIONS_KEY } from '../notifications/notifications.api';

export const SUPERVISION_KEY = ['supervision'] as const;

export type NoticeFilters = Partial<Omit<NoticeListQuery, 'page' | 'pageSize'>> & {
  page: number;
  pageSize: number;
};

export function useNotices(filters: NoticeFilters) {
  return useQuery({
    queryKey: [...SUPERVISION_KEY, 'list', filters],
    queryFn: () =>
      api.get('/api/v1/supervision/notices', { query: { ...filters }, schema: NoticePageSchema }),
    placeholderData: keepPreviousData,
  });
}

export function useNotice(id: string) {
  return useQuery({
    queryKey: [...SUPERVISION_KEY, 'notice', id],
    queryFn: () =>
      api.get(`/api/v1/supervision/notices/${encodeURIComponent(id)}`, { schema: NoticeDetailSchema }),
  });
}

/** 交办 form: link targets of one type whose name contains the text. */
export function useLinkTargets(type: NoticeLinkType | null, q: string) {
  return useQuery({
    queryKey: [...SUPERVISION_KEY, 'link-targets', type, q],
    enabled: type !== null,
    queryFn: () =>
      api.get('/api/v1/supervision/link-targets', {
        query: { type: type ?? 'task', q },
        schema: NoticeLinkOptionListSchema,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useAlerts(enabled = true) {
  return useQuery({
    queryKey: [...SUPERVISION_KEY, 'alerts'],
    enabled,
    queryFn: () => api.get('/api/v1/supervision/alerts', { schema: AlertListSchema }),
  });
}

/** Every supervision write refreshes notices, alerts (a notice may handle one) and the bell. */
function useSupervisionMutation<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: SUPERVISION_KEY });
      void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    },
  });
}

export function useIssueNotice() {
  return useSupervisionMutation((body: NoticeCreate) =>
    api.post('/api/v1/supervision/notices', body, NoticeDetailSchema),
  );
}

/** 批量转为督办: each selected alert becomes a notice with its proposal. */
export function useAlertsToNotices() {
  return useSupervisionMutation((body: AlertsToNotices) =>
    api.post('/api/v1/supervision/notices/from-alerts', body, AlertsToNoticesResultSchema),
  );
}

export type NoticeStepName = 'sign' | 'reply' | 'finish' | 'return' | 'close';

export function useNoticeStep(id: string) {
  return useSupervisionMutation((b: { step: NoticeStepName; version: number; comment?: string }) =>
    api.post(
      `/api/v1/supervision/notices/${encodeURIComponent(id)}/${b.step}`,
      { version: b.version, comment: b.comment ?? '' },
      NoticeDetailSchema,
    ),
  );
}
