import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { HonourDto, HonourRoundDto, NominationDto, Page, TCreateHonourRoundBody, TCreateNominationBody } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export type RoundDetail = HonourRoundDto & { nominations: NominationDto[] };

export const honoursKeys = {
  all: ['honours'] as const,
  rounds: (state?: string) => ['honours', 'rounds', state ?? ''] as const,
  round: (id: string) => ['honours', 'round', id] as const,
  roll: ['honours', 'roll'] as const,
  volunteer: (id: string) => ['honours', 'volunteer', id] as const,
};

export function useRounds(state?: HonourRoundDto['state']) {
  return useInfiniteQuery({
    queryKey: honoursKeys.rounds(state),
    queryFn: ({ pageParam, signal }) => api<Page<HonourRoundDto>>('/honours/rounds', { query: { state, limit: 30, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
export function useRound(id: string | undefined) {
  return useQuery({ queryKey: honoursKeys.round(id ?? ''), queryFn: () => api<RoundDetail>(`/honours/rounds/${id}`), enabled: !!id });
}
export function useHonourRoll() {
  return useQuery({ queryKey: honoursKeys.roll, queryFn: () => api<{ items: HonourDto[] }>('/honours/roll') });
}
export function useVolunteerHonours(volunteerId: string | null | undefined) {
  return useQuery({
    queryKey: honoursKeys.volunteer(volunteerId ?? ''),
    queryFn: () => api<{ items: HonourDto[] }>(`/volunteers/${volunteerId}/honours`),
    enabled: !!volunteerId,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: honoursKeys.all });
}
export function useCreateRound() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (b: TCreateHonourRoundBody) => api<HonourRoundDto>('/honours/rounds', { method: 'POST', body: b }), onSuccess: done });
}
export function useRoundAction() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'open-voting' | 'close' }) =>
      api<HonourRoundDto>(`/honours/rounds/${id}/${action}`, { method: 'POST', body: {} }),
    onSuccess: done,
  });
}
export function useNominate(roundId: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (b: TCreateNominationBody) => api<NominationDto>(`/honours/rounds/${roundId}/nominations`, { method: 'POST', body: b }),
    onSuccess: done,
  });
}
export function useNominationAction() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: 'review' | 'award' | 'votes'; body?: object }) =>
      api<unknown>(`/honours/nominations/${id}/${action}`, { method: 'POST', body: body ?? {} }),
    onSuccess: done,
  });
}
