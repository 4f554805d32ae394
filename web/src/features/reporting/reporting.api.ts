import {
  AttachmentSchema,
  type Attachment,
  BulkResultSchema,
  type BulkReview,
  CycleUnitsSchema,
  type SubmitAll,
  type CycleCreate,
  CyclePageSchema,
  CycleSchema,
  InboxSchema,
  IndicatorStatusSchema,
  ReportDetailSchema,
  ReportPageSchema,
  type ReportSave,
  type ReportValueInput,
  ValueChecksSchema,
  ReportCountySummarySchema,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { parseErrorResponse } from '../../api/api-error';
import { ApiError, api } from '../../api/client';

export const REPORTING_KEY = ['reporting'] as const;

export function useCycles(q: { planId?: string; state?: string; page?: number; pageSize?: number } = {}) {
  return useQuery({
    queryKey: [...REPORTING_KEY, 'cycles', q],
    queryFn: () =>
      api.get('/api/v1/reporting/cycles', { query: { pageSize: 200, ...q }, schema: CyclePageSchema }),
    placeholderData: keepPreviousData,
  });
}

export function useInbox(unitId: string | null) {
  return useQuery({
    queryKey: [...REPORTING_KEY, 'inbox', unitId],
    queryFn: () => api.get('/api/v1/reporting/inbox', { query: { unitId }, schema: InboxSchema }),
  });
}

export function useReports(q: {
  cycleId?: string;
  unitId?: string;
  state?: string;
  page: number;
  pageSize: number;
}) {
  return useQuery({
    queryKey: [...REPORTING_KEY, 'reports', q],
    queryFn: () => api.get('/api/v1/reports', { query: q, schema: ReportPageSchema }),
    placeholderData: keepPreviousData,
  });
}

export function useReport(id: string) {
  return useQuery({
    queryKey: [...REPORTING_KEY, 'report', id],
    queryFn: () => api.get(`/api/v1/reports/${encodeURIComponent(id)}`, { schema: ReportDetailSchema }),
  });
}

/** 县区汇总 for a county government unit's report upward (applies: false for any other unit). */
export function useReportCountySummary(id: string) {
  return useQuery({
    queryKey: [...REPORTING_KEY, 'report', id, 'county-summary'],
    queryFn: () =>
      api.get(`/api/v1/reports/${encodeURIComponent(id)}/county-summary`, {
        schema: ReportCountySummarySchema,
      }),
  });
}

export function useIndicatorStatus(planId: string | null, cycleId: string | null) {
  return useQuery({
    queryKey: [...REPORTING_KEY, 'indicator-status', planId, cycleId],
    enabled: planId !== null,
    queryFn: () =>
      api.get('/api/v1/indicator-status', { query: { planId, cycleId }, schema: IndicatorStatusSchema }),
    placeholderData: keepPreviousData,
  });
}

/** Every reporting mutation refreshes the module's queries (inbox badges, queue, the report itself). */
function useReportingMutation<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: REPORTING_KEY }) });
}

export function useOpenReport() {
  return useReportingMutation((b: { cycleId: string; taskId: string }) =>
    api.post('/api/v1/reports', b, ReportDetailSchema),
  );
}

export function useSaveReport(id: string) {
  return useReportingMutation((b: ReportSave) =>
    api.patch(`/api/v1/reports/${encodeURIComponent(id)}`, b, ReportDetailSchema),
  );
}

export function useReportAction(id: string) {
  return useReportingMutation(
    (b: { action: 'submit' | 'approve' | 'return'; version: number; comment?: string }) =>
      api.post(
        `/api/v1/reports/${encodeURIComponent(id)}/${b.action}`,
        { version: b.version, ...(b.action === 'submit' ? {} : { comment: b.comment ?? '' }) },
        ReportDetailSchema,
      ),
  );
}

export function evaluateValues(id: string, values: ReportValueInput[]) {
  return api.post(`/api/v1/reports/${encodeURIComponent(id)}/evaluate`, { values }, ValueChecksSchema);
}

export function useCreateCycle() {
  return useReportingMutation((b: CycleCreate) => api.post('/api/v1/reporting/cycles', b, CycleSchema));
}

export function useCycleAction() {
  return useReportingMutation((b: { id: string; action: 'close' | 'reopen' | 'lock'; version: number }) =>
    api.post(
      `/api/v1/reporting/cycles/${encodeURIComponent(b.id)}/${b.action}`,
      { version: b.version },
      CycleSchema,
    ),
  );
}

export function useDeleteAttachment() {
  return useReportingMutation((id: string) =>
    api.delete(`/api/v1/report-attachments/${encodeURIComponent(id)}`),
  );
}

/**
 * Upload one evidence file with progress (XMLHttpRequest: fetch reports no upload progress). The server judges
 * the type by content; its error (ATTACHMENT_REFUSED, PAYLOAD_TOO_LARGE …) comes back as an ApiError.
 */
export function uploadAttachment(
  reportId: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/reports/${encodeURIComponent(reportId)}/attachments`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络错误，上传失败'));
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      });
      if (!res.ok) return reject(await parseErrorResponse(res));
      const parsed = AttachmentSchema.safeParse(JSON.parse(xhr.responseText));
      if (parsed.success) resolve(parsed.data);
      else reject(new ApiError(xhr.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确'));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

// ── bulk work and 催报 ──────────────────────────────────────────────────────────────────────────────────────

export function useSubmitAll() {
  return useReportingMutation((b: SubmitAll) => api.post('/api/v1/reports/submit-all', b, BulkResultSchema));
}

export function useReviewMany() {
  return useReportingMutation((b: BulkReview) => api.post('/api/v1/reports/review', b, BulkResultSchema));
}

export function useCycleUnits(cycleId: string | null) {
  return useQuery({
    queryKey: [...REPORTING_KEY, 'cycle-units', cycleId],
    enabled: cycleId !== null,
    queryFn: () =>
      api.get(`/api/v1/reporting/cycles/${encodeURIComponent(cycleId ?? '')}/units`, {
        schema: CycleUnitsSchema,
      }),
  });
}

export function useUrge(cycleId: string) {
  return useReportingMutation((b: { unitIds?: string[]; message: string }) =>
    api.post(`/api/v1/reporting/cycles/${encodeURIComponent(cycleId)}/urge`, b, BulkResultSchema),
  );
}
