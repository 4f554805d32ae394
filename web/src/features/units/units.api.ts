import {
  type Unit,
  type UnitCreate,
  type UnitKind,
  UnitPageSchema,
  UnitSchema,
  type UnitUpdate,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const UNITS_KEY = ['units'] as const;

export interface UnitFilters {
  q?: string;
  kind?: UnitKind;
  active: 'true' | 'false' | 'all';
  jurisdictionId?: string;
  page: number;
  pageSize: number;
}

export function useUnitList(filters: UnitFilters) {
  return useQuery({
    queryKey: [...UNITS_KEY, 'list', filters],
    queryFn: () => api.get('/api/v1/units', { query: { ...filters }, schema: UnitPageSchema }),
    placeholderData: keepPreviousData,
  });
}

export function fetchUnit(id: string): Promise<Unit> {
  return api.get(`/api/v1/units/${encodeURIComponent(id)}`, { schema: UnitSchema });
}

/** Unit changes show up in user rows (unit name) and in the audit log, so those lists refetch too. */
function useInvalidateAfterUnitChange() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: UNITS_KEY });
    void qc.invalidateQueries({ queryKey: ['users'] });
    void qc.invalidateQueries({ queryKey: ['audit'] });
  };
}

export function useCreateUnit() {
  const onSuccess = useInvalidateAfterUnitChange();
  return useMutation({
    mutationFn: (body: UnitCreate) => api.post('/api/v1/units', body, UnitSchema),
    onSuccess,
  });
}

export function useUpdateUnit() {
  const onSuccess = useInvalidateAfterUnitChange();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UnitUpdate }) =>
      api.patch(`/api/v1/units/${encodeURIComponent(id)}`, body, UnitSchema),
    onSuccess,
  });
}

export function useDeactivateUnit() {
  const onSuccess = useInvalidateAfterUnitChange();
  return useMutation({
    mutationFn: (unit: Pick<Unit, 'id' | 'version'>) =>
      api.post(
        `/api/v1/units/${encodeURIComponent(unit.id)}/deactivate`,
        { version: unit.version },
        UnitSchema,
      ),
    onSuccess,
  });
}

export function useMergeUnit() {
  const onSuccess = useInvalidateAfterUnitChange();
  return useMutation({
    mutationFn: ({ targetId, sourceId }: { targetId: string; sourceId: string }) =>
      api.post(`/api/v1/units/${encodeURIComponent(targetId)}/merge`, { sourceId }, UnitSchema),
    onSuccess,
  });
}
