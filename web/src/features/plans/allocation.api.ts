import { type AllocationInput, AllocationSchema } from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const key = (indicatorId: string) => ['plans', 'allocation', indicatorId] as const;

/** How an indicator is (or would be) assigned to the counties below (分解下达). */
export function useAllocation(indicatorId: string | null) {
  return useQuery({
    queryKey: key(indicatorId ?? ''),
    enabled: indicatorId !== null,
    queryFn: () =>
      api.get(`/api/v1/indicators/${encodeURIComponent(indicatorId ?? '')}/allocation`, {
        schema: AllocationSchema,
      }),
  });
}

export function useAllocate(indicatorId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: AllocationInput) =>
      api.put(`/api/v1/indicators/${encodeURIComponent(indicatorId)}/allocation`, input, AllocationSchema),
    onSuccess: (data) => {
      qc.setQueryData(key(indicatorId), data);
      void qc.invalidateQueries({ queryKey: ['plans'] });
    },
  });
}

/**
 * Quotas in proportion to residents, whole numbers adding up exactly to the target (largest remainder); null where
 * a county has no population figure (the clerk types those).
 */
export function quotasByPopulation(
  target: number,
  counties: { jurisdictionId: string; population: number | null }[],
): Record<string, number | null> {
  const known = counties.filter((c) => (c.population ?? 0) > 0);
  const total = known.reduce((s, c) => s + (c.population ?? 0), 0);
  const out: Record<string, number | null> = Object.fromEntries(
    counties.map((c) => [c.jurisdictionId, null]),
  );
  if (total === 0) return out;
  const exact = known.map((c) => ({ id: c.jurisdictionId, x: (target * (c.population ?? 0)) / total }));
  let left = target - exact.reduce((s, e) => s + Math.floor(e.x), 0);
  for (const e of exact) out[e.id] = Math.floor(e.x);
  for (const e of [...exact].sort((a, b) => b.x - Math.floor(b.x) - (a.x - Math.floor(a.x)))) {
    if (left <= 0) break;
    out[e.id] = (out[e.id] ?? 0) + 1;
    left -= 1;
  }
  return out;
}
