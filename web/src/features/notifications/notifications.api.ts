import { MarkReadResultSchema, NotificationPageSchema, UnreadCountSchema } from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const NOTIFICATIONS_KEY = ['notifications'] as const;

/** The bell's number: polled every minute while the app is open. */
export function useUnreadCount() {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'unread-count'],
    queryFn: () => api.get('/api/v1/notifications/unread-count', { schema: UnreadCountSchema }),
    refetchInterval: 60_000,
    staleTime: 15_000,
  });
}

export function useNotifications(enabled: boolean, unreadOnly: boolean) {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'list', unreadOnly],
    enabled,
    queryFn: () =>
      api.get('/api/v1/notifications', {
        query: { pageSize: 50, ...(unreadOnly ? { unread: 'true' } : {}) },
        schema: NotificationPageSchema,
      }),
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) =>
      api.post('/api/v1/notifications/read', body, MarkReadResultSchema),
    onSuccess: () => qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
}
