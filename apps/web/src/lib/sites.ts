import { useInfiniteQuery } from '@tanstack/react-query';
import type { OrgDto, OrgLevel, Page } from '@wenming/contracts';
import { api } from './api-client';

/** Sites for residents (GET /sites): by name, or level by level from a parent. */
export function useSites(params: { q?: string; parentId?: string; level?: OrgLevel }, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['sites', params],
    queryFn: ({ pageParam, signal }) => api<Page<OrgDto>>('/sites', { query: { ...params, cursor: pageParam ?? undefined, limit: 30 }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
    staleTime: 5 * 60_000,
  });
}
