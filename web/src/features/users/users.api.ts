import {
  OkSchema,
  OneTimePasswordSchema,
  type Role,
  type UserCreate,
  UserPageSchema,
  UserSchema,
  type UserUpdate,
} from '@kesu/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const USERS_KEY = ['users'] as const;

export interface UserFilters {
  q?: string;
  role?: Role;
  unitId?: string;
  page: number;
  pageSize: number;
}

export function useUserList(filters: UserFilters) {
  return useQuery({
    queryKey: [...USERS_KEY, 'list', filters],
    queryFn: () => api.get('/api/v1/users', { query: { ...filters }, schema: UserPageSchema }),
    placeholderData: keepPreviousData,
  });
}

function useInvalidateUsers() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: USERS_KEY });
    void qc.invalidateQueries({ queryKey: ['audit'] });
  };
}

export function useCreateUser() {
  const onSuccess = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: UserCreate) => api.post('/api/v1/users', body, OneTimePasswordSchema),
    onSuccess,
  });
}

export function useUpdateUser() {
  const onSuccess = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserUpdate }) =>
      api.patch(`/api/v1/users/${encodeURIComponent(id)}`, body, UserSchema),
    onSuccess,
  });
}

export function useResetPassword() {
  const onSuccess = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) =>
      api.post(`/api/v1/users/${encodeURIComponent(id)}/reset-password`, {}, OneTimePasswordSchema),
    onSuccess,
  });
}

export function useRevokeUserSessions() {
  const onSuccess = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) =>
      api.post(`/api/v1/users/${encodeURIComponent(id)}/revoke-sessions`, {}, OkSchema),
    onSuccess,
  });
}
