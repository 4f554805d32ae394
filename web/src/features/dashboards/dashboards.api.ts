import {
  type DrillKind,
  DrillSchema,
  OverviewSchema,
  PublicSnapshotListSchema,
  PublicSnapshotSchema,
  SnapshotListSchema,
  SnapshotSummarySchema,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const DASHBOARDS_KEY = ['dashboards'] as const;

/** The overview of a cycle, else of a plan's latest cycle, else of the reader's own level. */
export function useOverview(cycleId: string | null, planId: string | null = null) {
  return useQuery({
    queryKey: [...DASHBOARDS_KEY, 'overview', cycleId, planId],
    queryFn: () =>
      api.get('/api/v1/dashboards/overview', {
        query: cycleId ? { cycleId } : planId ? { planId } : {},
        schema: OverviewSchema,
      }),
    placeholderData: keepPreviousData,
  });
}

export interface DrillTarget {
  kind: DrillKind;
  key: string;
  part?: string;
}

export function useDrill(cycleId: string | null, target: DrillTarget | null) {
  return useQuery({
    queryKey: [...DASHBOARDS_KEY, 'drill', cycleId, target],
    enabled: target !== null,
    queryFn: () =>
      api.get('/api/v1/dashboards/drill', {
        query: { ...(cycleId ? { cycleId } : {}), ...target },
        schema: DrillSchema,
      }),
  });
}

export function useSnapshots(cycleId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: [...DASHBOARDS_KEY, 'snapshots', cycleId],
    enabled: enabled && cycleId !== null,
    queryFn: () =>
      api.get('/api/v1/dashboards/snapshots', { query: { cycleId }, schema: SnapshotListSchema }),
  });
}

export function usePublish() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (cycleId: string) =>
      api.post('/api/v1/dashboards/snapshots', { cycleId }, SnapshotSummarySchema),
    onSuccess: () => qc.invalidateQueries({ queryKey: DASHBOARDS_KEY }),
  });
}

export function useUnpublish() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post(`/api/v1/dashboards/snapshots/${encodeURIComponent(id)}/unpublish`, {}, SnapshotSummarySchema),
    onSuccess: () => qc.invalidateQueries({ queryKey: DASHBOARDS_KEY }),
  });
}

/** Every published snapshot of every level (the public page groups them by level). */
export function usePublicSnapshots() {
  return useQuery({
    queryKey: [...DASHBOARDS_KEY, 'public'],
    queryFn: () => api.get('/api/v1/public/dashboards', { schema: PublicSnapshotListSchema }),
  });
}

export function usePublicSnapshot(id: string | null) {
  return useQuery({
    queryKey: [...DASHBOARDS_KEY, 'public', id],
    enabled: id !== null,
    queryFn: () =>
      api.get(`/api/v1/public/dashboards/${encodeURIComponent(id ?? '')}`, { schema: PublicSnapshotSchema }),
  });
}
