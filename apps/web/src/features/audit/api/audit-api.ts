import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AuditLogDto, Page, TAuditLogFilter } from '@wenming/contracts';
import { api, API_BASE, withQuery } from '../../../lib/api-client';

export type { AuditLogDto };

export function useAuditLogs(filter: TAuditLogFilter) {
  return useInfiniteQuery({
    queryKey: ['audit-logs', filter],
    queryFn: ({ pageParam, signal }) => api<Page<AuditLogDto>>('/audit-logs', { query: { ...filter, cursor: pageParam ?? undefined, limit: 50 }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The same filter as an .xlsx download (the server writes the same labels). */
export const auditExportUrl = (filter: TAuditLogFilter) => withQuery(`${API_BASE}/audit-logs/export`, { ...filter });

/** Staff to filter by operator: users whose name or phone matches (the caller's scope). */
export function useOperatorOptions(q: string) {
  return useQuery({
    queryKey: ['users', 'operator-options', q],
    queryFn: ({ signal }) => api<Page<{ id: string; name: string; phone: string }>>('/users', { query: { q: q || undefined, limit: 20 }, signal }),
    select: (p) => p.items.map((u) => ({ value: u.id, label: `${u.name}（${u.phone}）` })),
    staleTime: 60_000,
  });
}
