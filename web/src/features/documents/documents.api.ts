import {
  type DocumentJob,
  type DocumentJobCreate,
  DocumentJobSchema,
  type DocumentKind,
  DocumentPlaceholderValuesSchema,
  type DocumentSubjectQuery,
  DocumentTemplateListSchema,
  type DocumentTemplatePut,
  DocumentTemplateSchema,
} from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { networkError, parseErrorResponse } from '../../api/api-error';
import { api } from '../../api/client';
import { saveDownload } from '../../components/document-download';

const KEY = ['documents'] as const;

export function useDocumentTemplates(enabled = true) {
  return useQuery({
    queryKey: [...KEY, 'templates'],
    queryFn: () => api.get('/api/v1/documents/templates', { schema: DocumentTemplateListSchema }),
    enabled,
  });
}

export function useSaveDocumentTemplate(kind: DocumentKind) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DocumentTemplatePut) =>
      api.put(`/api/v1/documents/templates/${kind}`, body, DocumentTemplateSchema),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
}

/** The placeholder values of one subject, for the preview; only asked once the subject is chosen. */
export function usePlaceholderValues(kind: DocumentKind, q: DocumentSubjectQuery, enabled: boolean) {
  return useQuery({
    queryKey: [...KEY, 'values', kind, q],
    queryFn: () =>
      api.get(`/api/v1/documents/templates/${kind}/values`, {
        query: { ...q },
        schema: DocumentPlaceholderValuesSchema,
      }),
    enabled,
  });
}

/** Start making a document in the background (the same request while one is in flight returns that one). */
export function useStartDocumentJob() {
  return useMutation({
    mutationFn: (body: DocumentJobCreate) => api.post('/api/v1/documents/jobs', body, DocumentJobSchema),
  });
}

const inFlight = (job: DocumentJob | undefined) => job?.status === 'queued' || job?.status === 'running';

/** A background document's status and progress, asked again every second while it is queued or running. */
export function useDocumentJob(id: string | null, pollMs = 1000) {
  return useQuery({
    queryKey: [...KEY, 'jobs', id],
    queryFn: () => api.get(`/api/v1/documents/jobs/${id}`, { schema: DocumentJobSchema }),
    enabled: id !== null,
    refetchInterval: (q) => (inFlight(q.state.data) ? pollMs : false),
  });
}

/** Save a finished background document in the browser (its name from the server's Content-Disposition). */
export async function downloadDocumentJob(job: Pick<DocumentJob, 'id' | 'format'>): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/documents/jobs/${job.id}/file`, { credentials: 'same-origin' });
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw await parseErrorResponse(res);
  await saveDownload(res, `document.${job.format}`);
}
