import { type FundingInput, type FundingStandardInput, FundingViewSchema } from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toQueryString } from '../../api/client';

const KEY = ['funding'] as const;

/** 科普经费 of a level and year, with each child's total per resident against the standard. */
export function useFunding(jurisdictionId: string | null | undefined, year: number) {
  return useQuery({
    queryKey: [...KEY, jurisdictionId, year],
    queryFn: () =>
      api.get('/api/v1/funding', {
        query: { jurisdictionId: jurisdictionId!, year },
        schema: FundingViewSchema,
      }),
    enabled: Boolean(jurisdictionId),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: KEY });
}

export function useSaveFunding() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: FundingInput) => api.put('/api/v1/funding', body, FundingViewSchema),
    onSuccess,
  });
}

export function useSetFundingStandard() {
  const onSuccess = useInvalidate();
  return useMutation({
    mutationFn: (body: FundingStandardInput) => api.put('/api/v1/funding/standard', body, FundingViewSchema),
    onSuccess,
  });
}

export function fundingExportUrl(jurisdictionId: string, year: number, format: 'xlsx' | 'csv'): string {
  return `/api/v1/funding/export${toQueryString({ jurisdictionId, year, format })}`;
}

/** 1234567.5 → "1,234,567.50" 元. */
export const yuan = (v: number | null) =>
  v === null ? '—' : v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
