import { type SelfTestSubmit, SelfTestDrawSchema, SelfTestResultSchema } from '@kesu/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export const SELF_TEST_KEY = ['public', 'self-test'] as const;

/**
 * One draw per visit: never refetched behind the user's back (a new draw would throw away the answers);
 * "再测一次" refetches on purpose.
 */
export function useSelfTestDraw() {
  return useQuery({
    queryKey: SELF_TEST_KEY,
    queryFn: () => api.get('/api/v1/public/self-test', { schema: SelfTestDrawSchema }),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

export function useSubmitSelfTest() {
  return useMutation({
    mutationFn: (body: SelfTestSubmit) => api.post('/api/v1/public/self-test', body, SelfTestResultSchema),
  });
}
