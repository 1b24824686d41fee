import { useQuery } from '@tanstack/react-query';
import type { WorkbenchDto } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export type { WorkbenchDto };

/** The caller's 工作台: to-dos, today's figures, the coming week's activities (refreshed each minute). */
export function useWorkbench() {
  return useQuery({
    queryKey: ['workbench'],
    queryFn: ({ signal }) => api<WorkbenchDto>('/workbench', { signal }),
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
}

export interface WorkbenchNotice {
  id: string;
  kind: string;
  title: string;
  refType: string | null;
  refId: string | null;
  at: string;
  read: boolean;
}

/** The newest notices of the caller (the bell's list, fewer of them). */
export function useRecentNotices() {
  return useQuery({
    queryKey: ['workbench', 'notices'],
    queryFn: ({ signal }) => api<{ items: WorkbenchNotice[]; unread: number }>('/notifications', { query: { limit: 6 }, signal }),
    refetchInterval: 120_000,
    staleTime: 60_000,
  });
}
