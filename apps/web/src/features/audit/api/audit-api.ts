import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Page } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export interface AuditLogDto {
  id: number | string;
  action: string;
  entityType: string;
  entityId: string;
  actorId: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

export function useAuditLogs(filter: { entityType?: string; entityId?: string }) {
  return useInfiniteQuery({
    queryKey: ['audit-logs', filter],
    queryFn: ({ pageParam, signal }) => api<Page<AuditLogDto>>('/audit-logs', { query: { ...filter, cursor: pageParam ?? undefined, limit: 50 }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The name of whoever did it (the log carries only the id). */
export function useActorName(id: string | null) {
  return useQuery({
    queryKey: ['users', 'one', id],
    queryFn: () => api<{ id: string; name: string; phone: string }>(`/users/${id}`),
    enabled: !!id,
    staleTime: 10 * 60_000,
    select: (u) => `${u.name}（${u.phone}）`,
    retry: false,
  });
}
