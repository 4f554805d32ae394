import {
  type ChangePasswordBody,
  ContactSchema,
  type ContactUpdate,
  type LoginBody,
  type Me,
  MeSchema,
  OkSchema,
  type Session,
  SessionSchema,
} from '@kesu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client';
import { ME_KEY } from '../../api/query-client';

const SESSIONS_KEY = ['auth', 'sessions'] as const;

/** The signed-in user, or null when there is no session (a 401 is an answer here, not an error). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get('/api/v1/auth/me', { schema: MeSchema });
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api.post('/api/v1/auth/login', body, MeSchema),
    onSuccess: (me) => {
      // A previous user's cached lists must not leak into this session.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      qc.setQueryData(ME_KEY, me);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/api/v1/auth/logout', {}, OkSchema),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(ME_KEY, null);
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => api.post('/api/v1/auth/password', body, MeSchema),
    onSuccess: (me) => {
      qc.setQueryData(ME_KEY, me);
      void qc.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
  });
}

export function useSessions() {
  return useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: () => api.get<Session[]>('/api/v1/auth/sessions', { schema: SessionSchema.array() }),
  });
}

export function useRevokeSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/auth/sessions/${encodeURIComponent(id)}`, OkSchema),
    onSuccess: () => qc.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });
}

export const CONTACT_KEY = ['me', 'contact'] as const;

export function useMyContact() {
  return useQuery({
    queryKey: CONTACT_KEY,
    queryFn: () => api.get('/api/v1/users/me/contact', { schema: ContactSchema }),
  });
}

export function useSaveContact() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: ContactUpdate) => api.put('/api/v1/users/me/contact', b, ContactSchema),
    onSuccess: (data) => qc.setQueryData(CONTACT_KEY, data),
  });
}
