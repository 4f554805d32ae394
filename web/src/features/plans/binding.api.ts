import { type IndicatorBindingInput, IndicatorBindingSchema } from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const key = (indicatorId: string) => ['plans', 'binding', indicatorId] as const;

/** Where an indicator's actual values come from: a registry query, or the units' reports. */
export function useBinding(indicatorId: string) {
  return useQuery({
    queryKey: key(indicatorId),
    queryFn: () =>
      api.get(`/api/v1/indicators/${encodeURIComponent(indicatorId)}/binding`, {
        schema: IndicatorBindingSchema,
      }),
  });
}

export function useSetBinding(indicatorId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: IndicatorBindingInput) =>
      api.put(`/api/v1/indicators/${encodeURIComponent(indicatorId)}/binding`, input, IndicatorBindingSchema),
    onSuccess: (data) => {
      qc.setQueryData(key(indicatorId), data);
      void qc.invalidateQueries({ queryKey: ['plans'] });
    },
  });
}
