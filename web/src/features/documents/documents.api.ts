import {
  type DocumentKind,
  DocumentPlaceholderValuesSchema,
  type DocumentSubjectQuery,
  DocumentTemplateListSchema,
  type DocumentTemplatePut,
  DocumentTemplateSchema,
} from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { networkError, parseErrorResponse } from '../../api/api-error';
import { api, toQueryString } from '../../api/client';

const KEY = ['documents'] as const;

/** The path of each kind of document (GET, `format=docx|pdf`). */
export const DOCUMENT_PATHS: Record<DocumentKind, string> = {
  bulletin: '/api/v1/documents/bulletin',
  annual: '/api/v1/documents/annual-report',
  notice: '/api/v1/documents/notice',
  'unit-summary': '/api/v1/documents/unit-summary',
};

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

/** The file name of a download from Content-Disposition (filename*=UTF-8''…), else the fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (!m?.[1]) return fallback;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return fallback;
  }
}

/**
 * Generates a document and saves it in the browser: the error (e.g. no LibreOffice for PDF) comes back as the API's
 * message instead of a broken file.
 */
export async function downloadDocument(
  kind: DocumentKind,
  q: Record<string, string | number | undefined>,
  format: 'docx' | 'pdf',
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(DOCUMENT_PATHS[kind] + toQueryString({ ...q, format }), { credentials: 'same-origin' });
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw await parseErrorResponse(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(res.headers.get('content-disposition'), `document.${format}`);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
