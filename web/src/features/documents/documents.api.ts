import {
  type DocumentKind,
  DocumentPlaceholderValuesSchema,
  type DocumentSubjectQuery,
  DocumentTemplateListSchema,
  type DocumentTemplatePut,
  DocumentTemplateSchema,
} from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

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
