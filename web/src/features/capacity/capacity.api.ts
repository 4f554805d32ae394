import {
  type CapacityConfigInput,
  CapacityConfigViewSchema,
  CapacityResultSchema,
  CapacityResultsViewSchema,
  PublicCapacitySchema,
} from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['capacity'] as const;

/** A level's configuration of the year (the default when none is saved). */
export function useCapacityConfig(jurisdictionId: string | null, year: number) {
  return useQuery({
    queryKey: [...KEY, 'config', jurisdictionId, year],
    queryFn: () =>
      api.get('/api/v1/capacity/config', {
        query: { jurisdictionId: jurisdictionId!, year },
        schema: CapacityConfigViewSchema,
      }),
    enabled: Boolean(jurisdictionId),
  });
}

/** The newest computed result of the year and the published one. */
export function useCapacityResults(jurisdictionId: string | null, year: number) {
  return useQuery({
    queryKey: [...KEY, 'results', jurisdictionId, year],
    queryFn: () =>
      api.get('/api/v1/capacity/results', {
        query: { jurisdictionId: jurisdictionId!, year },
        schema: CapacityResultsViewSchema,
      }),
    enabled: Boolean(jurisdictionId),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: KEY });
}

export function useSaveCapacityConfig() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: CapacityConfigInput) =>
      api.put('/api/v1/capacity/config', body, CapacityConfigViewSchema),
    onSuccess,
  });
}

export function useCopyCapacityConfig() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: { jurisdictionId: string; year: number }) =>
      api.post('/api/v1/capacity/config/copy', body, CapacityConfigViewSchema),
    onSuccess,
  });
}

export function useComputeCapacity() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: { jurisdictionId: string; year: number }) =>
      api.post('/api/v1/capacity/compute', body, CapacityResultSchema),
    onSuccess,
  });
}

export function usePublishCapacity() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, publish }: { id: string; publish: boolean }) =>
      api.post(
        `/api/v1/capacity/results/${id}/${publish ? 'publish' : 'unpublish'}`,
        undefined,
        CapacityResultSchema,
      ),
    onSuccess,
  });
}

/** The public page: the published results and the chosen one. */
export function usePublicCapacity(q: { jurisdictionId?: string | undefined; year?: number | undefined }) {
  return useQuery({
    queryKey: [...KEY, 'public', q.jurisdictionId, q.year],
    queryFn: () => api.get('/api/v1/public/capacity', { query: q, schema: PublicCapacitySchema }),
  });
}

/** An index or a score as shown: two decimals (z-scores can be negative); missing → —. */
export const score = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
/** A normalised weight as a percentage. */
export const weightText = (w: number) => `${(w * 100).toFixed(1).replace(/\.0$/, '')}%`;
