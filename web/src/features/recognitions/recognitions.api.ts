import {
  PublicRecognitionPageSchema,
  type RecognitionInput,
  type RecognitionListQuery,
  RecognitionPageSchema,
  RecognitionProposalsResultSchema,
  RecognitionSchema,
  type RecognitionsFromAssessment,
  type RecognitionUpdate,
} from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toQueryString } from '../../api/client';

const KEY = ['recognitions'] as const;

type ListQuery = Partial<RecognitionListQuery>;

export function useRecognitions(q: ListQuery) {
  return useQuery({
    queryKey: [...KEY, q],
    queryFn: () => api.get('/api/v1/recognitions', { query: q, schema: RecognitionPageSchema }),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: KEY });
}

/** 提名表彰 from a frozen assessment ranking (created as 拟表彰 on the 表彰奖励 page). */
export function useProposeFromAssessment() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: RecognitionsFromAssessment) =>
      api.post('/api/v1/recognitions/proposals/from-assessment', body, RecognitionProposalsResultSchema),
    onSuccess,
  });
}

export function useCreateRecognition() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: RecognitionInput) => api.post('/api/v1/recognitions', body, RecognitionSchema),
    onSuccess,
  });
}

export function useUpdateRecognition() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: RecognitionUpdate }) =>
      api.put(`/api/v1/recognitions/${id}`, body, RecognitionSchema),
    onSuccess,
  });
}

export type RecognitionStep = 'confirm' | 'reject' | 'publish' | 'unpublish';

export function useRecognitionStep() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, step, version }: { id: string; step: RecognitionStep; version: number }) =>
      api.post(`/api/v1/recognitions/${id}/${step}`, { version }, RecognitionSchema),
    onSuccess,
  });
}

export function useDeleteRecognition() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/recognitions/${id}`),
    onSuccess,
  });
}

export function recognitionsExportUrl(q: ListQuery, format: 'xlsx' | 'csv'): string {
  return `/api/v1/recognitions/export${toQueryString({ ...q, page: undefined, pageSize: undefined, format })}`;
}

export function usePublicRecognitions(q: { year?: number | undefined; page: number }) {
  return useQuery({
    queryKey: [...KEY, 'public', q],
    queryFn: () =>
      api.get('/api/v1/public/recognitions', {
        query: { ...q, pageSize: 20 },
        schema: PublicRecognitionPageSchema,
      }),
  });
}
