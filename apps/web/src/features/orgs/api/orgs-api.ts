import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgDto, OrgLevel, Page, TCreateOrgBody, TUpdateOrgBody } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export interface ListOrgsParams {
  parentId?: string;
  level?: OrgLevel;
  q?: string;
  limit?: number;
  cursor?: string | null;
}

export function listOrgs(p: ListOrgsParams = {}, signal?: AbortSignal): Promise<Page<OrgDto>> {
  return api<Page<OrgDto>>('/orgs', { query: { ...p, cursor: p.cursor ?? undefined }, signal });
}

export function getOrg(id: string): Promise<OrgDto> {
  return api<OrgDto>(`/orgs/${id}`);
}

export const orgKeys = {
  all: ['orgs'] as const,
  one: (id: string) => ['orgs', 'one', id] as const,
  children: (id: string) => ['orgs', 'children', id] as const,
  search: (q: string) => ['orgs', 'search', q] as const,
};

export function useOrg(id: string | null | undefined) {
  return useQuery({ queryKey: orgKeys.one(id ?? ''), queryFn: () => getOrg(id!), enabled: !!id });
}

export function useCreateOrg() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateOrgBody) => api<OrgDto>('/orgs', { method: 'POST', body }),
    onSuccess: (org) => {
      qc.setQueryData(orgKeys.one(org.id), org);
      if (org.parentId) {
        void qc.invalidateQueries({ queryKey: orgKeys.one(org.parentId) });
        void qc.invalidateQueries({ queryKey: orgKeys.children(org.parentId) });
      }
      void qc.invalidateQueries({ queryKey: ['orgs', 'search'] });
    },
  });
}

export function useUpdateOrg(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TUpdateOrgBody) => api<OrgDto>(`/orgs/${id}`, { method: 'PATCH', body }),
    onSuccess: (org) => {
      qc.setQueryData(orgKeys.one(org.id), org);
      if (org.parentId) void qc.invalidateQueries({ queryKey: orgKeys.children(org.parentId) });
      void qc.invalidateQueries({ queryKey: ['orgs', 'search'] });
    },
  });
}
