import {
  PublicVenueListSchema,
  RegistryDetailSchema,
  RegistryHistorySchema,
  RegistryImportResultSchema,
  RegistryPageSchema,
  type RegistryRecordInput,
  type RegistryRecordUpdate,
  type RegistryWithdraw,
  type ResourceKind,
  type VolunteerServiceInput,
  VolunteerServiceListSchema,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, toQueryString } from '../../api/client';
import { parseErrorResponse } from '../../api/api-error';
import { type RegistryFilters, toQuery } from './registry-filters';

export const REGISTRIES_KEY = ['registries'] as const;
const base = (kind: ResourceKind) => `/api/v1/registries/${kind}`;

export function useRegistryList(kind: ResourceKind, filters: RegistryFilters) {
  return useQuery({
    queryKey: [...REGISTRIES_KEY, kind, 'list', filters],
    queryFn: () => api.get(base(kind), { query: toQuery(filters), schema: RegistryPageSchema }),
    placeholderData: keepPreviousData,
  });
}

export function useRegistryRecord(kind: ResourceKind, id: string | null) {
  return useQuery({
    queryKey: [...REGISTRIES_KEY, kind, 'detail', id],
    queryFn: () => api.get(`${base(kind)}/${encodeURIComponent(id ?? '')}`, { schema: RegistryDetailSchema }),
    enabled: id !== null,
  });
}

export function fetchRegistryRecord(kind: ResourceKind, id: string) {
  return api.get(`${base(kind)}/${encodeURIComponent(id)}`, { schema: RegistryDetailSchema });
}

export function useRegistryHistory(kind: ResourceKind, id: string | null) {
  return useQuery({
    queryKey: [...REGISTRIES_KEY, kind, 'history', id],
    queryFn: () =>
      api.get(`${base(kind)}/${encodeURIComponent(id ?? '')}/history`, { schema: RegistryHistorySchema }),
    enabled: id !== null,
  });
}

/** Parents to pick from (a volunteer's team, an expert's 服务团). */
export function useParentOptions(kind: ResourceKind | undefined, q: string) {
  return useQuery({
    queryKey: [...REGISTRIES_KEY, kind, 'options', q],
    queryFn: () =>
      api.get(base(kind!), { query: { q: q || undefined, pageSize: 50 }, schema: RegistryPageSchema }),
    enabled: kind !== undefined,
    placeholderData: keepPreviousData,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: REGISTRIES_KEY });
    void qc.invalidateQueries({ queryKey: ['audit'] });
  };
}

export function useSaveRecord(kind: ResourceKind) {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: RegistryRecordInput | RegistryRecordUpdate }) =>
      id
        ? api.put(`${base(kind)}/${encodeURIComponent(id)}`, body, RegistryDetailSchema)
        : api.post(base(kind), body, RegistryDetailSchema),
    onSuccess,
  });
}

export function useWithdrawRecord(kind: ResourceKind) {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: RegistryWithdraw }) =>
      api.post(`${base(kind)}/${encodeURIComponent(id)}/withdraw`, body, RegistryDetailSchema),
    onSuccess,
  });
}

export function useDeleteRecord(kind: ResourceKind) {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${base(kind)}/${encodeURIComponent(id)}`),
    onSuccess,
  });
}

export function useAddService(volunteerId: string) {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: VolunteerServiceInput) =>
      api.post(
        `/api/v1/registries/volunteer/${encodeURIComponent(volunteerId)}/services`,
        body,
        VolunteerServiceListSchema,
      ),
    onSuccess,
  });
}

/** The download address of a kind's export with the list's filters. */
export function exportUrl(kind: ResourceKind, format: 'xlsx' | 'csv', filters: RegistryFilters): string {
  const { page: _p, pageSize: _s, ...rest } = toQuery(filters);
  return `${base(kind)}/export${toQueryString({ ...rest, format })}`;
}

export const templateUrl = (kind: ResourceKind) => `${base(kind)}/template`;

/** Upload a filled template; the server imports all rows or none (its error carries `details.rows`). */
export function useImportRecords(kind: ResourceKind) {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      let res: Response;
      try {
        res = await fetch(`${base(kind)}/import`, { method: 'POST', body: form, credentials: 'same-origin' });
      } catch {
        throw new ApiError(0, 'NETWORK', '网络错误，上传失败');
      }
      if (!res.ok) throw await parseErrorResponse(res);
      const parsed = RegistryImportResultSchema.safeParse(await res.json());
      if (!parsed.success) throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确');
      return parsed.data;
    },
    onSuccess,
  });
}

export function usePublicVenues(jurisdictionId: string | undefined) {
  return useQuery({
    queryKey: ['public-venues', jurisdictionId],
    queryFn: () =>
      api.get('/api/v1/public/venues', { query: { jurisdictionId }, schema: PublicVenueListSchema }),
  });
}
