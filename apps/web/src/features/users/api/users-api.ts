import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page, TCreateUserBody, TGrantRoleBody, UserDto } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export const userKeys = {
  all: ['users'] as const,
  list: (q: string) => ['users', 'list', q] as const,
  one: (id: string) => ['users', 'one', id] as const,
};

export function useUsers(q: string) {
  return useInfiniteQuery({
    queryKey: userKeys.list(q),
    queryFn: ({ pageParam, signal }) => api<Page<UserDto>>('/users', { query: { q: q || undefined, cursor: pageParam ?? undefined, limit: 50 }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useUser(id: string | null, initial?: UserDto) {
  return useQuery({
    queryKey: userKeys.one(id ?? ''),
    queryFn: () => api<UserDto>(`/users/${id}`),
    enabled: !!id,
    initialData: initial && initial.id === id ? initial : undefined,
    staleTime: 0,
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateUserBody) => api<UserDto>('/users', { method: 'POST', body }),
    onSuccess: (u) => {
      qc.setQueryData(userKeys.one(u.id), u);
      void qc.invalidateQueries({ queryKey: ['users', 'list'] });
    },
  });
}

export function useGrantRole(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TGrantRoleBody) => api<{ id: string }>(`/users/${userId}/roles`, { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useRevokeRole(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (grantId: string) => api<void>(`/users/${userId}/roles/${grantId}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: userKeys.all }),
  });
}
