import {
  type ContentInput,
  ContentItemSchema,
  type ContentListQuery,
  ContentPageSchema,
  type ContentUpdate,
  OkSchema,
  PublicJurisdictionsSchema,
  type RecommendationQuery,
  RecommendationsSchema,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['content'] as const;

export function useContentList(q: Partial<ContentListQuery>) {
  return useQuery({
    queryKey: [...KEY, q],
    queryFn: () => api.get('/api/v1/content', { query: q, schema: ContentPageSchema }),
    placeholderData: keepPreviousData,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: KEY });
}

export function useCreateContent() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: ContentInput) => api.post('/api/v1/content', body, ContentItemSchema),
    onSuccess,
  });
}

export function useUpdateContent() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ContentUpdate }) =>
      api.put(`/api/v1/content/${id}`, body, ContentItemSchema),
    onSuccess,
  });
}

export function useDeleteContent() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/content/${id}`, OkSchema),
    onSuccess,
  });
}

/** Public: the levels a reader may choose. */
export function usePublicPlaces() {
  return useQuery({
    queryKey: ['public-recommendation-places'],
    queryFn: () =>
      api.get('/api/v1/public/recommendations/jurisdictions', { schema: PublicJurisdictionsSchema }),
    staleTime: 300_000,
  });
}

/** Public: recommended content and upcoming activities for a county and a group. */
export function useRecommendations(q: Partial<RecommendationQuery>) {
  return useQuery({
    queryKey: ['public-recommendations', q],
    queryFn: () => api.get('/api/v1/public/recommendations', { query: q, schema: RecommendationsSchema }),
    enabled: Boolean(q.jurisdictionId && q.group),
  });
}
