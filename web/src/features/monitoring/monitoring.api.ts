import {
  MarginYearsSchema,
  type PopulationMarginsPut,
  PopulationMarginsSchema,
  type SurveyUpload,
  SurveyHeadlinesSchema,
  SurveyUploadSchema,
  SurveyWaveDetailSchema,
  SurveyWaveListSchema,
  SurveyWaveSchema,
  type SurveyWaveUpdate,
  type WaveImport,
} from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import { networkError, parseErrorResponse } from '../../api/api-error';

export const SURVEYS_KEY = ['surveys'] as const;

export function useWaves() {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'waves'],
    queryFn: () => api.get('/api/v1/surveys/waves', { schema: SurveyWaveListSchema }),
  });
}

/** Every wave's headline (official rule; raking when it has margins) and the plan's survey-rate target. */
export function useHeadlines() {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'headlines'],
    queryFn: () => api.get('/api/v1/surveys/headlines', { schema: SurveyHeadlinesSchema }),
  });
}

export function useWave(id: string | undefined) {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'wave', id],
    queryFn: () =>
      api.get(`/api/v1/surveys/waves/${encodeURIComponent(id!)}`, { schema: SurveyWaveDetailSchema }),
    enabled: Boolean(id),
  });
}

export function useUpdateWave() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SurveyWaveUpdate }) =>
      api.patch(`/api/v1/surveys/waves/${encodeURIComponent(id)}`, body, SurveyWaveSchema),
    onSuccess: () => void qc.invalidateQueries({ queryKey: SURVEYS_KEY }),
  });
}

/** Poll an upload while it is being imported (every 500 ms), stop when done or failed. */
export function useUpload(id: string | undefined) {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'upload', id],
    queryFn: () =>
      api.get(`/api/v1/surveys/uploads/${encodeURIComponent(id!)}`, { schema: SurveyUploadSchema }),
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data?.status === 'processing' ? 500 : false),
  });
}

export function useStartImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: WaveImport }) =>
      api.post(`/api/v1/surveys/uploads/${encodeURIComponent(id)}/import`, body, SurveyUploadSchema),
    onSuccess: (u) => {
      qc.setQueryData([...SURVEYS_KEY, 'upload', u.id], u);
      void qc.invalidateQueries({ queryKey: [...SURVEYS_KEY, 'waves'] });
    },
  });
}

/**
 * Upload a microdata file as multipart/form-data with upload progress (fetch cannot report it, XMLHttpRequest can).
 * Errors go through the one error parser.
 */
export function uploadMicrodata(
  file: File,
  onProgress: (loaded: number, total: number) => void,
): Promise<SurveyUpload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/surveys/uploads');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(networkError(new Error('upload failed')));
    xhr.onload = () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      });
      if (xhr.status < 200 || xhr.status >= 300) {
        void parseErrorResponse(res).then(reject);
        return;
      }
      try {
        const parsed = SurveyUploadSchema.safeParse(JSON.parse(xhr.responseText));
        if (parsed.success) resolve(parsed.data);
        else
          reject(new ApiError(xhr.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确', parsed.error.issues));
      } catch {
        reject(new ApiError(xhr.status, 'BAD_RESPONSE', '服务器返回了无法识别的内容'));
      }
    };
    const fd = new FormData();
    fd.append('file', file, file.name);
    xhr.send(fd);
  });
}

export function useMarginYears() {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'margin-years'],
    queryFn: () => api.get('/api/v1/surveys/margins', { schema: MarginYearsSchema }),
  });
}

export function useMargins(year: number | undefined) {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'margins', year],
    queryFn: () => api.get(`/api/v1/surveys/margins/${year}`, { schema: PopulationMarginsSchema }),
    enabled: year !== undefined,
  });
}

export function useSaveMargins() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ year, body }: { year: number; body: PopulationMarginsPut }) =>
      api.post(`/api/v1/surveys/margins/${year}`, body, PopulationMarginsSchema),
    onSuccess: () => void qc.invalidateQueries({ queryKey: SURVEYS_KEY }),
  });
}

/** The method note download link of one figure. */
export function methodNoteUrl(
  waveId: string,
  e: { method: string; variable: string; by: string | null; domain: string | null },
): string {
  const q = new URLSearchParams({ method: e.method, variable: e.variable });
  if (e.by) q.set('by', e.by);
  if (e.domain !== null && e.by) q.set('domain', e.domain);
  return `/api/v1/surveys/waves/${encodeURIComponent(waveId)}/method-note?${q}`;
}
