import { PlanLinksSchema } from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const key = (planId: string) => ['plans', 'links', planId] as const;

/** A plan's tasks against the plan of the level above (null parent: nothing to link to). */
export function usePlanLinks(planId: string) {
  return useQuery({
    queryKey: key(planId),
    queryFn: () => api.get(`/api/v1/plans/${encodeURIComponent(planId)}/links`, { schema: PlanLinksSchema }),
  });
}

export function useProposeLinks(planId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post(`/api/v1/plans/${encodeURIComponent(planId)}/links/propose`, {}, PlanLinksSchema),
    onSuccess: (data) => qc.setQueryData(key(planId), data),
  });
}

export function useSetTaskLinks(planId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ taskId, targetTaskIds }: { taskId: string; targetTaskIds: string[] }) =>
      api.put(`/api/v1/plan-tasks/${encodeURIComponent(taskId)}/links`, { targetTaskIds }, PlanLinksSchema),
    onSuccess: (data) => qc.setQueryData(key(planId), data),
  });
}
