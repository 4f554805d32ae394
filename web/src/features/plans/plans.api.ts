import {
  IndicatorSchema,
  type IndicatorUpdate,
  PlanDetailSchema,
  PlanDiffSchema,
  type PlanImport,
  PlanImportResultSchema,
  PlanPageSchema,
  type PlanPreview,
  PlanPreviewSchema,
  PlanTaskSchema,
  type PlanTreeQuery,
  PlanTreeSchema,
  type TaskUpdate,
  UnitTaskPageSchema,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import { networkError, parseErrorResponse } from '../../api/api-error';

export const PLANS_KEY = ['plans'] as const;

export function usePlanList(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...PLANS_KEY, 'list', page, pageSize],
    queryFn: () => api.get('/api/v1/plans', { query: { page, pageSize }, schema: PlanPageSchema }),
    placeholderData: keepPreviousData,
  });
}

export function usePlan(id: string) {
  return useQuery({
    queryKey: [...PLANS_KEY, 'detail', id],
    queryFn: () => api.get(`/api/v1/plans/${encodeURIComponent(id)}`, { schema: PlanDetailSchema }),
  });
}

export function usePlanTree(id: string, q: PlanTreeQuery) {
  return useQuery({
    queryKey: [...PLANS_KEY, 'tree', id, q],
    queryFn: () =>
      api.get(`/api/v1/plans/${encodeURIComponent(id)}/tree`, { query: { ...q }, schema: PlanTreeSchema }),
    placeholderData: keepPreviousData,
  });
}

export function useVersionDiff(planId: string, versionId: string | null) {
  return useQuery({
    queryKey: [...PLANS_KEY, 'diff', planId, versionId],
    enabled: versionId !== null,
    queryFn: () =>
      api.get(
        `/api/v1/plans/${encodeURIComponent(planId)}/versions/${encodeURIComponent(versionId ?? '')}/diff`,
        { schema: PlanDiffSchema },
      ),
  });
}

export function useUnitTasks(unitId: string | null, page: number, pageSize: number, enabled = true) {
  return useQuery({
    queryKey: [...PLANS_KEY, 'unit-tasks', unitId, page, pageSize],
    enabled,
    queryFn: () =>
      api.get('/api/v1/plans/unit-tasks', {
        query: { unitId: unitId ?? undefined, page, pageSize },
        schema: UnitTaskPageSchema,
      }),
    placeholderData: keepPreviousData,
  });
}

/** Upload a document for preview (multipart; the typed client only speaks JSON). */
export async function uploadPlanDocument(file: File): Promise<PlanPreview> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch('/api/v1/plans/preview', {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw await parseErrorResponse(res);
  const parsed = PlanPreviewSchema.safeParse(await res.json());
  if (!parsed.success) throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确');
  return parsed.data;
}

function useInvalidatePlans() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: PLANS_KEY });
    void qc.invalidateQueries({ queryKey: ['units'] });
    void qc.invalidateQueries({ queryKey: ['audit'] });
  };
}

export function useImportPlan() {
  const onSuccess = useInvalidatePlans();
  return useMutation({
    mutationFn: (body: PlanImport) => api.post('/api/v1/plans/import', body, PlanImportResultSchema),
    onSuccess,
  });
}

export function usePublishPlan() {
  const onSuccess = useInvalidatePlans();
  return useMutation({
    mutationFn: ({
      planId,
      versionId,
      version,
    }: {
      planId: string;
      versionId: string | null;
      version: number;
    }) =>
      versionId
        ? api.post(
            `/api/v1/plans/${encodeURIComponent(planId)}/publish`,
            { versionId, version },
            PlanDetailSchema,
          )
        : api.post(`/api/v1/plans/${encodeURIComponent(planId)}/unpublish`, { version }, PlanDetailSchema),
    onSuccess,
  });
}

export function useUpdateTask() {
  const onSuccess = useInvalidatePlans();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TaskUpdate }) =>
      api.patch(`/api/v1/plan-tasks/${encodeURIComponent(id)}`, body, PlanTaskSchema),
    onSuccess,
  });
}

export function useUpdateIndicator() {
  const onSuccess = useInvalidatePlans();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: IndicatorUpdate }) =>
      api.patch(`/api/v1/indicators/${encodeURIComponent(id)}`, body, IndicatorSchema),
    onSuccess,
  });
}

export function exportUrl(planId: string, versionId?: string): string {
  const q = versionId ? `?versionId=${encodeURIComponent(versionId)}` : '';
  return `/api/v1/plans/${encodeURIComponent(planId)}/export.xlsx${q}`;
}
