import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page, TCreateTeamBody, TeamDto, UserDto, VolunteerDto } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export interface TeamMember {
  volunteerId: string;
  realName: string;
  skills: string[];
  status: 'active' | 'suspended';
  totalHours: number;
  joinedAt: string;
}

export type TeamDetail = TeamDto & { members: TeamMember[] };

export const teamKeys = {
  all: ['teams'] as const,
  list: (f: { orgId?: string; category?: string; q?: string }) => ['teams', 'list', f] as const,
  one: (id: string) => ['teams', 'one', id] as const,
};

export function useTeams(f: { orgId?: string; category?: string; q?: string }) {
  return useQuery({ queryKey: teamKeys.list(f), queryFn: () => api<Page<TeamDto>>('/teams', { query: { ...f, limit: 200 } }) });
}

export function useTeam(id: string | null) {
  return useQuery({ queryKey: teamKeys.one(id ?? ''), queryFn: () => api<TeamDetail>(`/teams/${id}`), enabled: !!id, staleTime: 0 });
}

export function useCreateTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateTeamBody) => api<TeamDto>('/teams', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: teamKeys.all }),
  });
}

export function useAddMember(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (volunteerId: string) => api<unknown>(`/teams/${teamId}/members`, { method: 'POST', body: { volunteerId } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: teamKeys.all });
      void qc.invalidateQueries({ queryKey: ['volunteers'] });
    },
  });
}

export function useRemoveMember(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (volunteerId: string) => api<unknown>(`/teams/${teamId}/members/${volunteerId}`, { method: 'DELETE' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: teamKeys.all });
      void qc.invalidateQueries({ queryKey: ['volunteers'] });
    },
  });
}

/** Users found by phone (GET /users?q=), to appoint a team leader. */
export function useUserSearch(q: string) {
  return useQuery({
    queryKey: ['users', 'pick', q],
    queryFn: ({ signal }) => api<Page<UserDto>>('/users', { query: { q, limit: 10 }, signal }),
    enabled: q.length >= 4,
  });
}

export function useVolunteerSearch(q: string) {
  return useQuery({
    queryKey: ['volunteers', 'pick', q],
    queryFn: ({ signal }) => api<Page<VolunteerDto>>('/volunteers', { query: { q: q || undefined, limit: 20, status: 'active' }, signal }),
  });
}
