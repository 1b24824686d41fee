import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActivationCodeDto, Page, ServiceRecordDto, TCreateRecordBody, TRegisterVolunteerBody, VolunteerDto } from '@wenming/contracts';
import { api, isApiError } from '../../../lib/api-client';
import { ME_KEY } from '../../../lib/query-client';

export const volunteerKeys = {
  all: ['volunteers'] as const,
  me: ['volunteers', 'me'] as const,
  list: (f: VolunteerFilter) => ['volunteers', 'list', f] as const,
  one: (id: string) => ['volunteers', 'one', id] as const,
  records: (id: string, status?: string) => ['service-records', 'of', id, status ?? 'all'] as const,
  queue: (status: string) => ['service-records', 'queue', status] as const,
  points: ['points', 'me'] as const,
};

export interface VolunteerFilter {
  q?: string;
  skill?: string;
  star?: number;
  politicalStatus?: string;
  status?: string;
  orgId?: string;
  teamId?: string;
}

/** My volunteer profile; null when I have not reported in (404). */
export function useMyVolunteer(enabled = true) {
  return useQuery({
    queryKey: volunteerKeys.me,
    queryFn: async () => {
      try {
        return await api<VolunteerDto>('/volunteers/me');
      } catch (e) {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }
    },
    enabled,
  });
}

export function useRegisterVolunteer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TRegisterVolunteerBody) => api<VolunteerDto>('/volunteers', { method: 'POST', body }),
    onSuccess: (v) => {
      qc.setQueryData(volunteerKeys.me, v);
      // GET /me now carries volunteerId (the 任务 tab and the home page use it).
      void qc.invalidateQueries({ queryKey: ME_KEY });
    },
  });
}

export function useVolunteers(f: VolunteerFilter) {
  return useInfiniteQuery({
    queryKey: volunteerKeys.list(f),
    queryFn: ({ pageParam, signal }) => api<Page<VolunteerDto>>('/volunteers', { query: { ...f, limit: 50, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useVolunteer(id: string | null) {
  return useQuery({ queryKey: volunteerKeys.one(id ?? ''), queryFn: () => api<VolunteerDto>(`/volunteers/${id}`), enabled: !!id, staleTime: 0 });
}

export interface RecordsPage extends Page<ServiceRecordDto> {
  totalHours: number;
  star: number;
}

export function useVolunteerRecords(id: string | null | undefined, status?: string) {
  return useInfiniteQuery({
    queryKey: volunteerKeys.records(id ?? '', status),
    queryFn: ({ pageParam, signal }) => api<RecordsPage>(`/volunteers/${id}/records`, { query: { status, limit: 30, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !!id,
  });
}

export function useSetVolunteerStatus(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, reason }: { action: 'suspend' | 'reactivate'; reason: string }) =>
      api<VolunteerDto>(`/volunteers/${id}/${action}`, { method: 'POST', body: { reason } }),
    onSuccess: (v) => {
      qc.setQueryData(volunteerKeys.one(v.id), v);
      void qc.invalidateQueries({ queryKey: ['volunteers', 'list'] });
    },
  });
}

export function useRecordQueue(status = 'pending') {
  return useInfiniteQuery({
    queryKey: volunteerKeys.queue(status),
    queryFn: ({ pageParam, signal }) =>
      api<Page<ServiceRecordDto>>('/service-records', { query: { status, limit: 50, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useRecordAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: 'verify' | 'reject' | 'revoke'; body: unknown }) =>
      api<ServiceRecordDto>(`/service-records/${id}/${action}`, { method: 'POST', body }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['service-records'] });
      void qc.invalidateQueries({ queryKey: volunteerKeys.all });
    },
  });
}

export function useCreateRecord() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateRecordBody) => api<ServiceRecordDto>('/service-records', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['service-records'] }),
  });
}

export interface PointsDto {
  balance: number;
  earned?: number;
  spent?: number;
  items: { at: string; delta: number; reason: string; refType: string | null; refId: string | null; note?: string | null }[];
}

export function useMyPoints(enabled = true) {
  return useQuery({ queryKey: volunteerKeys.points, queryFn: () => api<PointsDto>('/points/me'), enabled });
}

/** 生成激活码: the volunteer sets a password with it (imported without one, or forgotten). */
export function useIssueActivationCode(id: string) {
  return useMutation({
    mutationFn: () => api<ActivationCodeDto>(`/volunteers/${id}/activation-code`, { method: 'POST', body: {} }),
  });
}
