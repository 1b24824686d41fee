import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DepartmentDto, DepartmentFiguresDto, Page, TCreateDepartmentBody, TUpdateDepartmentBody } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export const departmentKeys = {
  all: ['departments'] as const,
  list: (orgId: string | undefined) => ['departments', 'list', orgId ?? 'all'] as const,
};

export function useDepartments(orgId: string | undefined, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: departmentKeys.list(orgId),
    queryFn: ({ pageParam, signal }) => api<Page<DepartmentDto>>('/departments', { query: { orgId, cursor: pageParam ?? undefined, limit: pageSize }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useCreateDepartment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateDepartmentBody) => api<DepartmentDto>('/departments', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: departmentKeys.all }),
  });
}

export function useUpdateDepartment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TUpdateDepartmentBody }) => api<DepartmentDto>(`/departments/${id}`, { method: 'PATCH', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: departmentKeys.all }),
  });
}

/** 三率 per department in the caller's scope (GET /departments/stats). */
export function useDepartmentStats(orgId: string | undefined) {
  return useQuery({
    queryKey: ['departments', 'stats', orgId ?? ''],
    queryFn: () => api<{ items: DepartmentFiguresDto[] }>('/departments/stats', { query: { orgId } }),
    staleTime: 30_000,
  });
}
