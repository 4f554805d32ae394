import {
  type ActivityDetail,
  ActivityDetailSchema,
  type ActivityFile,
  ActivityFileSchema,
  type ActivityInput,
  ActivityPageSchema,
  CoverageSchema,
  PublicCalendarSchema,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, toQueryString } from '../../api/client';
import { parseErrorResponse } from '../../api/api-error';

export const ACTIVITIES_KEY = ['activities'] as const;

export interface ActivityFilters {
  jurisdictionId?: string;
  year?: number;
  campaign?: string;
  q?: string;
  includeDuplicates?: boolean;
  page: number;
  pageSize: number;
}

export function useActivityList(filters: ActivityFilters) {
  return useQuery({
    queryKey: [...ACTIVITIES_KEY, 'list', filters],
    queryFn: () => api.get('/api/v1/activities', { query: { ...filters }, schema: ActivityPageSchema }),
    placeholderData: keepPreviousData,
  });
}

/** The list's filters, every page, as a file (the server checks who reads what). */
export function activitiesExportUrl(format: 'xlsx' | 'csv', filters: ActivityFilters): string {
  const { page: _p, pageSize: _s, ...rest } = filters;
  return `/api/v1/activities/export${toQueryString({ ...rest, format })}`;
}

export function useActivity(id: string | undefined) {
  return useQuery({
    queryKey: [...ACTIVITIES_KEY, 'detail', id],
    enabled: Boolean(id),
    queryFn: () =>
      api.get(`/api/v1/activities/${encodeURIComponent(id ?? '')}`, { schema: ActivityDetailSchema }),
  });
}

/** Activities feed coverage: both refetch after a change. */
function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ACTIVITIES_KEY });
  };
}

export function useSaveActivity() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body, version }: { id?: string; body: ActivityInput; version?: number }) =>
      id
        ? api.put(`/api/v1/activities/${encodeURIComponent(id)}`, { ...body, version }, ActivityDetailSchema)
        : api.post('/api/v1/activities', body, ActivityDetailSchema),
    onSuccess,
  });
}

export function useDeleteActivity() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/activities/${encodeURIComponent(id)}`),
    onSuccess,
  });
}

export function useDeleteActivityFile(activityId: string) {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (fileId: string) =>
      api.delete(`/api/v1/activities/${encodeURIComponent(activityId)}/files/${encodeURIComponent(fileId)}`),
    onSuccess,
  });
}

export function activityFileUrl(activityId: string, fileId: string): string {
  return `/api/v1/activities/${encodeURIComponent(activityId)}/files/${encodeURIComponent(fileId)}`;
}

/** Upload one photo or file with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function uploadActivityFile(
  activityId: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<ActivityFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/activities/${encodeURIComponent(activityId)}/files`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络错误，上传失败，请重试'));
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      });
      if (!res.ok) return reject(await parseErrorResponse(res));
      try {
        const parsed = ActivityFileSchema.safeParse(JSON.parse(xhr.responseText));
        if (parsed.success) return resolve(parsed.data);
      } catch {
        // falls through to the error below
      }
      reject(new ApiError(xhr.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确'));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export function useCoverage(jurisdictionId: string | undefined, year: number) {
  return useQuery({
    queryKey: [...ACTIVITIES_KEY, 'coverage', jurisdictionId, year],
    queryFn: () => api.get('/api/v1/coverage', { query: { jurisdictionId, year }, schema: CoverageSchema }),
    placeholderData: keepPreviousData,
  });
}

export function usePublicCalendar(q: { jurisdictionId?: string; from?: string; to?: string }) {
  return useQuery({
    queryKey: ['public-activities', q],
    queryFn: () => api.get('/api/v1/public/activities', { query: q, schema: PublicCalendarSchema }),
    placeholderData: keepPreviousData,
  });
}

export type { ActivityDetail };
