import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { DepartmentDto, Page, TCreateDepartmentBody } from '@wenming/contracts';
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
