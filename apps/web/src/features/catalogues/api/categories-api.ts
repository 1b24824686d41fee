import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CategoryAdminDto, TCreateCategoryBody, TUpdateCategoryBody } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

const manageKey = ['categories', 'manage'] as const;

/** Every category with its triage keywords (super admin). */
export function useManagedCategories() {
  return useQuery({ queryKey: manageKey, queryFn: () => api<CategoryAdminDto[]>('/categories/manage') });
}

/** After a change both the managed list and the session's cached names ('categories') are stale. */
function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: ['categories'] });
}

export function useCreateCategory() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: TCreateCategoryBody) => api<CategoryAdminDto>('/categories', { method: 'POST', body }), onSuccess: invalidate });
}

export function useUpdateCategory() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: TUpdateCategoryBody }) => api<CategoryAdminDto>(`/categories/${code}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}
