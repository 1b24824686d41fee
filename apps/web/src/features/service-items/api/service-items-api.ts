import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ZServiceItemBody } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export interface ServiceItemDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  category: string;
  description: string | null;
  defaultUrgency: 'normal' | 'urgent' | 'critical';
  teamIds: string[];
  status: 'active' | 'retired';
}

export type TServiceItemBody = z.infer<typeof ZServiceItemBody>;

export const serviceItemKeys = {
  all: ['service-items'] as const,
  menu: (orgId: string) => ['service-items', 'menu', orgId] as const,
  scope: ['service-items', 'scope'] as const,
};

/** The menu residents of a community can order from (its items and those above it). */
export function useServiceMenu(orgId: string | null | undefined) {
  return useQuery({
    queryKey: serviceItemKeys.menu(orgId ?? ''),
    queryFn: () => api<ServiceItemDto[]>('/service-items', { query: { orgId: orgId ?? undefined } }),
    enabled: !!orgId,
    staleTime: 5 * 60_000,
  });
}

/** Every item in the staff member's scope. */
export function useScopeItems() {
  return useQuery({ queryKey: serviceItemKeys.scope, queryFn: () => api<ServiceItemDto[]>('/service-items') });
}

export function useCreateServiceItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TServiceItemBody) => api<ServiceItemDto>('/service-items', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: serviceItemKeys.all }),
  });
}

export function useRetireServiceItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ServiceItemDto>(`/service-items/${id}/retire`, { method: 'POST', body: {} }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: serviceItemKeys.all }),
  });
}

export interface TeamOption {
  id: string;
  name: string;
  orgName: string;
}

/** Teams to name as providers of an item. */
export function useTeamOptions(orgId: string | undefined) {
  return useQuery({
    queryKey: ['teams', 'options', orgId ?? 'all'],
    queryFn: () => api<{ items: TeamOption[] }>('/teams', { query: { orgId, limit: 200 } }),
    staleTime: 60_000,
  });
}
