import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { CategoryDto } from '@wenming/contracts';
import { api } from './api-client';

/** The service categories ("8+N"), cached for the session: names for codes everywhere. */
export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: () => api<(CategoryDto & { builtin?: boolean })[]>('/categories'),
    staleTime: 60 * 60_000,
  });
}

/** code → 名称 (the code itself until the list has loaded). */
export function useCategoryName(): (code: string | null | undefined) => string {
  const q = useCategories();
  return useMemo(() => {
    const names = new Map((q.data ?? []).map((c) => [c.code, c.name]));
    return (code) => (code ? (names.get(code) ?? code) : '—');
  }, [q.data]);
}
