import { AuditPageSchema } from '@kesu/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export const AUDIT_KEY = ['audit'] as const;

export interface AuditFilters {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  /** ISO-8601 with offset, inclusive bounds. */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export function useAuditList(filters: AuditFilters) {
  return useQuery({
    queryKey: [...AUDIT_KEY, 'list', filters],
    queryFn: () => api.get('/api/v1/audit', { query: { ...filters }, schema: AuditPageSchema }),
    placeholderData: keepPreviousData,
  });
}
