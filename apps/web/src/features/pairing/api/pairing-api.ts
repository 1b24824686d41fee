import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Page,
  PairingPlanDto,
  PairingResidentDto,
  PairingTaskDto,
  TCreatePairingPlanBody,
  TCreatePairingResidentBody,
  TLogPairingVisitBody,
  TUpdatePairingPlanBody,
  VolunteerDto,
} from '@wenming/contracts';
import { api, isApiError } from '../../../lib/api-client';
import { uuid } from '../../../lib/uuid';

export type PlanState = PairingPlanDto['state'];
export type TaskView = 'today' | 'upcoming' | 'overdue' | 'done';
export type PlanTasksWhen = 'today' | 'upcoming' | 'past' | 'all';

export interface PlanFilter {
  orgId?: string;
  state?: PlanState;
  q?: string;
  overdue?: boolean;
}

export const pairingKeys = {
  all: ['pairing'] as const,
  plans: (f: PlanFilter) => ['pairing', 'plans', f] as const,
  plan: (id: string) => ['pairing', 'plan', id] as const,
  planTasks: (id: string, when: PlanTasksWhen) => ['pairing', 'plan-tasks', id, when] as const,
  myTasks: (view: TaskView) => ['pairing', 'my-tasks', view] as const,
  task: (id: string) => ['pairing', 'task', id] as const,
  residents: (orgId: string | undefined, q: string) => ['pairing', 'residents', orgId ?? '', q] as const,
};

export function usePairingPlans(f: PlanFilter) {
  return useInfiniteQuery({
    queryKey: pairingKeys.plans(f),
    queryFn: ({ pageParam, signal }) =>
      api<Page<PairingPlanDto>>('/pairing/plans', {
        query: { ...f, overdue: f.overdue ? 'true' : undefined, limit: 30, cursor: pageParam ?? undefined },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function usePairingPlan(id: string | undefined) {
  return useQuery({ queryKey: pairingKeys.plan(id ?? ''), queryFn: () => api<PairingPlanDto>(`/pairing/plans/${id}`), enabled: !!id });
}

export function usePlanTasks(id: string, when: PlanTasksWhen) {
  return useInfiniteQuery({
    queryKey: pairingKeys.planTasks(id, when),
    queryFn: ({ pageParam, signal }) =>
      api<Page<PairingTaskDto>>(`/pairing/plans/${id}/tasks`, { query: { when, limit: 20, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useMyPairingTasks(view: TaskView) {
  return useInfiniteQuery({
    queryKey: pairingKeys.myTasks(view),
    queryFn: ({ pageParam, signal }) => api<Page<PairingTaskDto>>('/pairing/tasks', { query: { view, limit: 20, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function usePairingTask(id: string | undefined) {
  return useQuery({ queryKey: pairingKeys.task(id ?? ''), queryFn: () => api<PairingTaskDto>(`/pairing/tasks/${id}`), enabled: !!id });
}

export function usePairingResidents(orgId: string | undefined, q: string) {
  return useQuery({
    queryKey: pairingKeys.residents(orgId, q),
    queryFn: ({ signal }) => api<Page<PairingResidentDto>>('/pairing/residents', { query: { orgId, q: q || undefined, limit: 50 }, signal }),
    enabled: !!orgId,
  });
}

/** Active volunteers of a site's subtree, to pick from. */
export function useSiteVolunteers(orgId: string | undefined, q: string) {
  return useQuery({
    queryKey: ['volunteers', 'picker', orgId ?? '', q],
    queryFn: ({ signal }) => api<Page<VolunteerDto>>('/volunteers', { query: { orgId, q: q || undefined, status: 'active', limit: 50 }, signal }),
    enabled: !!orgId,
  });
}

export function useCreateResident() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreatePairingResidentBody) =>
      api<PairingResidentDto>('/pairing/residents', { method: 'POST', body, headers: { 'Idempotency-Key': uuid() } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['pairing', 'residents'] }),
  });
}

export function useSavePlan(id?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: TCreatePairingPlanBody | TUpdatePairingPlanBody; key: string }) =>
      id
        ? api<PairingPlanDto>(`/pairing/plans/${id}`, { method: 'PATCH', body })
        : api<PairingPlanDto>('/pairing/plans', { method: 'POST', body, headers: { 'Idempotency-Key': key } }),
    onSuccess: (p) => {
      qc.setQueryData(pairingKeys.plan(p.id), p);
      void qc.invalidateQueries({ queryKey: pairingKeys.all });
    },
  });
}

export function usePlanTransition(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, reason }: { action: 'pause' | 'resume' | 'end'; reason?: string }) =>
      api<PairingPlanDto>(`/pairing/plans/${id}/${action}`, { method: 'POST', body: reason ? { reason } : {} }),
    onSuccess: (p) => {
      qc.setQueryData(pairingKeys.plan(p.id), p);
      void qc.invalidateQueries({ queryKey: pairingKeys.all });
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 409) void qc.invalidateQueries({ queryKey: pairingKeys.plan(id) });
    },
  });
}

export function useLogVisit(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TLogPairingVisitBody) => api<PairingTaskDto>(`/pairing/tasks/${id}/log`, { method: 'POST', body }),
    onSuccess: (t) => {
      qc.setQueryData(pairingKeys.task(id), t);
      void qc.invalidateQueries({ queryKey: pairingKeys.all });
      void qc.invalidateQueries({ queryKey: ['service-records'] });
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 409) void qc.invalidateQueries({ queryKey: pairingKeys.task(id) });
    },
  });
}

export function useMissVisit(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api<PairingTaskDto>(`/pairing/tasks/${id}/miss`, { method: 'POST', body: { reason } }),
    onSuccess: (t) => {
      qc.setQueryData(pairingKeys.task(id), t);
      void qc.invalidateQueries({ queryKey: pairingKeys.all });
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 409) void qc.invalidateQueries({ queryKey: pairingKeys.task(id) });
    },
  });
}
