import {
  type Jurisdiction,
  type JurisdictionBoundsUpdate,
  type JurisdictionCreate,
  JurisdictionListSchema,
  JurisdictionSchema,
  type JurisdictionUpdate,
} from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const JURISDICTIONS_KEY = ['jurisdictions'] as const;

/** The jurisdictions the signed-in user reads: its own, then those below (parents before children). */
export function useJurisdictions() {
  return useQuery({
    queryKey: JURISDICTIONS_KEY,
    queryFn: () => api.get('/api/v1/jurisdictions', { schema: JurisdictionListSchema }),
    staleTime: 60_000,
  });
}

/** Names by id, for the columns that show where a unit or an account works. */
export function useJurisdictionNames(): Map<string, Jurisdiction> {
  const q = useJurisdictions();
  return new Map((q.data?.items ?? []).map((j) => [j.id, j]));
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: JURISDICTIONS_KEY });
    void qc.invalidateQueries({ queryKey: ['audit'] });
  };
}

export function useCreateJurisdiction() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: JurisdictionCreate) => api.post('/api/v1/jurisdictions', body, JurisdictionSchema),
    onSuccess,
  });
}

export function useUpdateJurisdiction() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: JurisdictionUpdate }) =>
      api.patch(`/api/v1/jurisdictions/${encodeURIComponent(id)}`, body, JurisdictionSchema),
    onSuccess,
  });
}

/** Set or clear (all null) a jurisdiction's bounding box. */
export function useUpdateJurisdictionBounds() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: JurisdictionBoundsUpdate }) =>
      api.put(`/api/v1/jurisdictions/${encodeURIComponent(id)}/bounds`, body, JurisdictionSchema),
    onSuccess,
  });
}
