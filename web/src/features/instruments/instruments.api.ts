import { InstrumentListSchema, InstrumentSchema } from '@kesu/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export const INSTRUMENTS_KEY = ['instruments'] as const;

export function useInstrumentList() {
  return useQuery({
    queryKey: [...INSTRUMENTS_KEY, 'list'],
    queryFn: () => api.get('/api/v1/instruments', { schema: InstrumentListSchema }),
  });
}

export function useInstrument(id: string | null) {
  return useQuery({
    queryKey: [...INSTRUMENTS_KEY, 'one', id],
    queryFn: () => api.get(`/api/v1/instruments/${encodeURIComponent(id!)}`, { schema: InstrumentSchema }),
    enabled: id !== null,
  });
}
