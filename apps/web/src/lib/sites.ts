import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
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

/**
 * The district center above a community station (its path is [city, center, institute, …]):
 * what "near me" means for activities and venues. Null when the station is not found.
 */
export function useDistrictOf(station: { id: string; name: string } | null) {
  return useQuery({
    queryKey: ['sites', 'district-of', station?.id ?? ''],
    queryFn: async () => {
      const r = await api<Page<OrgDto>>('/sites', { query: { q: station!.name, level: 'station', limit: 50 } });
      const s = r.items.find((o) => o.id === station!.id);
      if (!s || s.path.length < 2) return null;
      return { id: s.path[1]!, name: s.pathNames[1] ?? '' };
    },
    enabled: !!station,
    staleTime: Infinity,
  });
}
