import {
  type AssessmentAnswer,
  type AssessmentAppealCreate,
  AssessmentAppealSchema,
  type AssessmentAudience,
  type AssessmentFile,
  AssessmentFileSchema,
  AssessmentItemScoreSchema,
  type AssessmentMark,
  type AssessmentOverride,
  AssessmentResultsSchema,
  type AssessmentRubricCreate,
  AssessmentRubricListSchema,
  AssessmentRubricSchema,
  type AssessmentRubricUpdate,
  type AssessmentWindow,
  MyAssessmentsSchema,
  PublicAssessmentListSchema,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import { networkError, parseErrorResponse } from '../../api/api-error';

const KEY = ['assessments'] as const;

export function useRubrics(q: { year?: number; audience?: AssessmentAudience }) {
  return useQuery({
    queryKey: [...KEY, 'list', q],
    queryFn: () => api.get('/api/v1/assessments', { query: q, schema: AssessmentRubricListSchema }),
    placeholderData: keepPreviousData,
  });
}

export function useResults(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'results', id],
    queryFn: () => api.get(`/api/v1/assessments/${id}/results`, { schema: AssessmentResultsSchema }),
    enabled: Boolean(id),
  });
}

export function useMyAssessments() {
  return useQuery({
    queryKey: [...KEY, 'mine'],
    queryFn: () => api.get('/api/v1/my-assessments', { schema: MyAssessmentsSchema }),
  });
}

export function usePublicAssessments() {
  return useQuery({
    queryKey: ['public-assessments'],
    queryFn: () => api.get('/api/v1/public/assessments', { schema: PublicAssessmentListSchema }),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: KEY });
}

function useAssessmentMutation<A>(fn: (a: A) => Promise<unknown>) {
  const onSuccess = useInvalidate();
  return useMutation({ mutationFn: fn, onSuccess });
}

/** Every write of the pages: each refreshes the lists and results when it succeeds. */
export function useAssessmentActions() {
  const m = useAssessmentMutation;
  return {
    create: m((body: AssessmentRubricCreate) =>
      api.post('/api/v1/assessments', body, AssessmentRubricSchema),
    ),
    update: m(({ id, body }: { id: string; body: AssessmentRubricUpdate }) =>
      api.put(`/api/v1/assessments/${id}`, body, AssessmentRubricSchema),
    ),
    copy: m(({ id, year }: { id: string; year: number }) =>
      api.post(`/api/v1/assessments/${id}/copy`, { year }, AssessmentRubricSchema),
    ),
    compute: m((id: string) => api.post(`/api/v1/assessments/${id}/compute`, {}, AssessmentRubricSchema)),
    window: m(({ id, body }: { id: string; body: AssessmentWindow }) =>
      api.put(`/api/v1/assessments/${id}/appeal-window`, body, AssessmentRubricSchema),
    ),
    freeze: m((id: string) => api.post(`/api/v1/assessments/${id}/freeze`, {}, AssessmentRubricSchema)),
    publish: m((id: string) => api.post(`/api/v1/assessments/${id}/publish`, {}, AssessmentRubricSchema)),
    override: m(({ id, itemId, body }: { id: string; itemId: string; body: AssessmentOverride }) =>
      api.put(`/api/v1/assessments/${id}/items/${itemId}/override`, body, AssessmentItemScoreSchema),
    ),
    mark: m(({ id, itemId, body }: { id: string; itemId: string; body: AssessmentMark }) =>
      api.put(`/api/v1/assessments/${id}/items/${itemId}/mark`, body),
    ),
    answer: m(({ id, appealId, body }: { id: string; appealId: string; body: AssessmentAnswer }) =>
      api.post(`/api/v1/assessments/${id}/appeals/${appealId}/answer`, body),
    ),
    appeal: m(({ id, itemId, body }: { id: string; itemId: string; body: AssessmentAppealCreate }) =>
      api.post(`/api/v1/assessments/${id}/items/${itemId}/appeals`, body, AssessmentAppealSchema),
    ),
  };
}

/** Upload one file (multipart field "file") to an appeal or as an item's evidence. */
export async function uploadAssessmentFile(url: string, file: File): Promise<AssessmentFile> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body: form, credentials: 'same-origin' });
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw await parseErrorResponse(res);
  const parsed = AssessmentFileSchema.safeParse(await res.json());
  if (!parsed.success) throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确');
  return parsed.data;
}

export const fileUrl = (rubricId: string, fileId: string) =>
  `/api/v1/assessments/${rubricId}/files/${fileId}`;

/** A score as shown: one decimal at most, "—" when none. */
export const scoreText = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : String(Math.round(v * 10) / 10);
