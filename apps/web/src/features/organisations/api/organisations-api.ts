import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  JoinRequestDto,
  JoinRequestStatus,
  JoinTargetsDto,
  MyOrganisationsDto,
  OrganisationDetailDto,
  OrganisationDto,
  OrganisationMemberDto,
  Page,
  TCreateJoinRequestBody,
  TCreateOrganisationBody,
  TUpdateOrganisationBody,
} from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export const organisationKeys = {
  all: ['organisations'] as const,
  list: (f: { q?: string; category?: string; orgId?: string }) => ['organisations', 'list', f] as const,
  one: (id: string) => ['organisations', 'one', id] as const,
  members: (id: string) => ['organisations', 'members', id] as const,
  mine: ['organisations', 'mine'] as const,
};
export const joinKeys = {
  all: ['join-requests'] as const,
  decide: (f: { status: JoinRequestStatus; organisationId?: string }) => ['join-requests', 'decide', f] as const,
  mine: ['join-requests', 'mine'] as const,
  targets: (q: string) => ['join-requests', 'targets', q] as const,
};

export function useOrganisations(f: { q?: string; category?: string; orgId?: string }) {
  return useQuery({ queryKey: organisationKeys.list(f), queryFn: () => api<Page<OrganisationDto>>('/organisations', { query: { ...f, limit: 200 } }) });
}

export function useOrganisation(id: string | null) {
  return useQuery({
    queryKey: organisationKeys.one(id ?? ''),
    queryFn: () => api<OrganisationDetailDto>(`/organisations/${id}`),
    enabled: !!id,
    staleTime: 0,
  });
}

export function useOrganisationMembers(id: string | null) {
  return useQuery({
    queryKey: organisationKeys.members(id ?? ''),
    queryFn: () => api<Page<OrganisationMemberDto>>(`/organisations/${id}/members`, { query: { limit: 200 } }),
    enabled: !!id,
  });
}

export function useMyOrganisations(enabled = true) {
  return useQuery({ queryKey: organisationKeys.mine, queryFn: () => api<MyOrganisationsDto>('/organisations/mine'), enabled });
}

function useInvalidateAll() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: organisationKeys.all });
    void qc.invalidateQueries({ queryKey: joinKeys.all });
    void qc.invalidateQueries({ queryKey: ['teams'] });
  };
}

export function useSaveOrganisation(id: string | null) {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: (body: TCreateOrganisationBody | TUpdateOrganisationBody) =>
      id ? api<OrganisationDto>(`/organisations/${id}`, { method: 'PATCH', body }) : api<OrganisationDto>('/organisations', { method: 'POST', body }),
    onSuccess: done,
  });
}

/** Adds or removes a member, a team or an admin of an organisation. */
export function useOrganisationLink(id: string, what: 'members' | 'teams' | 'admins') {
  const done = useInvalidateAll();
  const field = { members: 'volunteerId', teams: 'teamId', admins: 'userId' }[what];
  return useMutation({
    mutationFn: ({ targetId, remove }: { targetId: string; remove?: boolean }) =>
      remove
        ? api<unknown>(`/organisations/${id}/${what}/${targetId}`, { method: 'DELETE' })
        : api<unknown>(`/organisations/${id}/${what}`, { method: 'POST', body: { [field]: targetId } }),
    onSuccess: done,
  });
}

export function useJoinRequestsToDecide(f: { status: JoinRequestStatus; organisationId?: string }) {
  return useQuery({ queryKey: joinKeys.decide(f), queryFn: () => api<Page<JoinRequestDto>>('/join-requests', { query: { ...f, limit: 200 } }) });
}

export function useDecideJoinRequest() {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, approve, reason }: { id: string; approve: boolean; reason?: string }) =>
      api<JoinRequestDto>(`/join-requests/${id}/${approve ? 'approve' : 'refuse'}`, { method: 'POST', body: approve ? undefined : { reason } }),
    onSuccess: done,
  });
}

export function useMyJoinRequests() {
  return useQuery({ queryKey: joinKeys.mine, queryFn: () => api<{ items: JoinRequestDto[] }>('/join-requests/mine') });
}

export function useJoinTargets(q: string, enabled: boolean) {
  return useQuery({ queryKey: joinKeys.targets(q), queryFn: () => api<JoinTargetsDto>('/join-targets', { query: { q: q || undefined } }), enabled });
}

export function useRequestToJoin() {
  const done = useInvalidateAll();
  return useMutation({ mutationFn: (body: TCreateJoinRequestBody) => api<JoinRequestDto>('/join-requests', { method: 'POST', body }), onSuccess: done });
}

export function useWithdrawJoinRequest() {
  const done = useInvalidateAll();
  return useMutation({ mutationFn: (id: string) => api<JoinRequestDto>(`/join-requests/${id}/withdraw`, { method: 'POST' }), onSuccess: done });
}
