import { useRef } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgDto, Page, TCreateActivityBody, TeamDto, TUpdateActivityBody } from '@wenming/contracts';
import type { ActivityState } from '@wenming/domain';
import { api, isApiError } from '../../../lib/api-client';
import { uuid } from '../../../lib/uuid';

export type ActivityAction =
  'publish' | 'cancel' | 'finish' | 'checkinCode' | 'attendance' | 'signup' | 'withdraw' | 'checkin' | 'checkout' | 'edit' | 'report' | 'rate';
export type SignupRole = 'volunteer' | 'resident';

export interface MySignup {
  id: string;
  role: SignupRole;
  status: 'registered' | 'waitlisted';
  /** Place on the waitlist (1 = next to move up); null when registered. */
  position: number | null;
  checkinAt: string | null;
  checkoutAt: string | null;
}

/** GET /activities/:id (API.md "Activities and service hours"). */
export interface ActivityDto {
  id: string;
  orgId: string;
  orgName: string;
  teamId: string | null;
  title: string;
  category: string;
  description: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  geofenceM: number | null;
  startsAt: string;
  endsAt: string;
  signupDeadline: string;
  volunteerQuota: number;
  publicQuota: number;
  volunteerRegistered: number;
  publicRegistered: number;
  partyOnly: boolean;
  teamOnly: boolean;
  adultsOnly: boolean;
  requiredSkills: string[];
  state: ActivityState;
  summary: string | null;
  /** 参与人数 and 服务人次 (entered at 结束 or with the report; null: not entered). */
  participants: number | null;
  peopleServed: number | null;
  createdAt: string;
  /** Upload ids of the activity's pictures, in order (render with photoUrl). */
  photoIds: string[];
  /** The weekly series it belongs to (the first occurrence's id); null for a one-off. */
  seriesId: string | null;
  /** 活动报道 (宣传展示), published by the organiser after the activity. */
  report: ActivityReport | null;
  rating: ActivityRatingSummary;
  mySignup: MySignup | null;
  allowedActions: ActivityAction[];
}

export interface ActivityReport {
  summary: string;
  photoIds: string[];
  publishedAt: string;
}

export interface ActivityRatingSummary {
  count: number;
  /** One decimal; null before anyone rated. */
  average: number | null;
  /** The caller's own rating. */
  mine: { score: number; comment: string | null } | null;
}

/** One row of GET /activities/:id/ratings (the name is masked: 张*英). */
export interface ActivityRatingDto {
  score: number;
  comment: string | null;
  name: string;
  at: string;
}

/** One row of GET /activities/:id/signups (the organiser's list). */
export interface SignupDto {
  id: string;
  userId: string;
  volunteerId: string | null;
  name: string;
  role: SignupRole;
  status: 'registered' | 'waitlisted' | 'withdrawn';
  checkinAt: string | null;
  checkoutAt: string | null;
  attendanceNote: string | null;
  hours: number | null;
}

export interface ActivityFilter {
  orgId?: string;
  from?: string;
  to?: string;
  category?: string;
  q?: string;
  state?: ActivityState;
  mine?: boolean;
  /** Only what the caller organises (a team leader's 活动管理). */
  organized?: boolean;
  /** 活动风采: finished activities with a published report, newest first. */
  report?: boolean;
  /** The occurrences of one weekly series. */
  seriesId?: string;
}

export const activityKeys = {
  all: ['activities'] as const,
  lists: ['activities', 'list'] as const,
  list: (f: ActivityFilter) => ['activities', 'list', f] as const,
  range: (f: ActivityFilter) => ['activities', 'list', 'range', f] as const,
  one: (id: string) => ['activities', 'one', id] as const,
  signups: (id: string) => ['activities', 'signups', id] as const,
  code: (id: string) => ['activities', 'checkin-code', id] as const,
  ratings: (id: string) => ['activities', 'ratings', id] as const,
};

const toQuery = (f: ActivityFilter) => ({
  ...f,
  mine: f.mine ? 'true' : undefined,
  organized: f.organized ? 'true' : undefined,
  report: f.report ? 'true' : undefined,
});

/** Activities page by page (sorted by start time). */
export function useActivityList(f: ActivityFilter, opts: { limit?: number; enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: activityKeys.list(f),
    queryFn: ({ pageParam, signal }) =>
      api<Page<ActivityDto>>('/activities', { query: { ...toQuery(f), limit: opts.limit ?? 20, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: opts.enabled ?? true,
  });
}

/** Every activity of a time range (the calendar): all pages, at most 1000 activities. */
export function useActivityRange(f: ActivityFilter, enabled = true) {
  return useQuery({
    queryKey: activityKeys.range(f),
    queryFn: async ({ signal }) => {
      const all: ActivityDto[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<ActivityDto> = await api<Page<ActivityDto>>('/activities', {
          query: { ...toQuery(f), limit: 200, cursor: cursor ?? undefined },
          signal,
        });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && all.length < 1000);
      return { items: all, truncated: !!cursor };
    },
    enabled,
  });
}

export function useActivity(id: string | undefined, opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: activityKeys.one(id ?? ''),
    queryFn: () => api<ActivityDto>(`/activities/${id}`),
    enabled: !!id,
    staleTime: 5_000,
    refetchInterval: opts.refetchInterval,
  });
}

function useRefresh() {
  const qc = useQueryClient();
  return (a?: ActivityDto) => {
    if (a) qc.setQueryData(activityKeys.one(a.id), a);
    void qc.invalidateQueries({ queryKey: activityKeys.lists });
  };
}

export function useCreateActivity() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ body, key }: { body: TCreateActivityBody; key: string }) =>
      api<ActivityDto & { occurrenceIds: string[] }>('/activities', { method: 'POST', body, headers: { 'Idempotency-Key': key } }),
    onSuccess: ({ occurrenceIds: _ids, ...a }) => refresh(a),
  });
}

/** 修改草稿: PATCH with only the changed fields (`null` clears an optional one); 409 once published. */
export function useUpdateActivity(id: string) {
  const qc = useQueryClient();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (patch: TUpdateActivityBody) => api<ActivityDto>(`/activities/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: (a) => refresh(a),
    onError: (e) => {
      if (isApiError(e) && e.status === 409) void qc.invalidateQueries({ queryKey: activityKeys.one(id) });
    },
  });
}

/** Every occurrence of a weekly series (at most 52), by start time. */
export function useActivitySeries(seriesId: string | null | undefined) {
  return useQuery({
    queryKey: activityKeys.list({ seriesId: seriesId ?? '' }),
    queryFn: ({ signal }) => api<Page<ActivityDto>>('/activities', { query: { seriesId: seriesId!, limit: 100 }, signal }).then((p) => p.items),
    enabled: !!seriesId,
    staleTime: 10_000,
  });
}

/** 评价活动 (participants who checked in, once, after it finished). */
export function useRateActivity(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { score: number; comment?: string }) =>
      api<{ score: number; count: number; average: number }>(`/activities/${id}/rating`, { method: 'POST', body }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: activityKeys.one(id) });
      void qc.invalidateQueries({ queryKey: activityKeys.ratings(id) });
    },
  });
}

export function useActivityRatings(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: activityKeys.ratings(id ?? ''),
    queryFn: () => api<{ items: ActivityRatingDto[] }>(`/activities/${id}/ratings`).then((r) => r.items),
    enabled: !!id && enabled,
    staleTime: 30_000,
  });
}

/** 发布活动报道 (organiser, finished activities): the summary and pictures; the answer is the activity. */
export function usePublishReport(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { summary: string; photoIds?: string[]; participants?: number; peopleServed?: number }) =>
      api<ActivityDto>(`/activities/${id}/report`, { method: 'POST', body }),
    onSuccess: (a) => refresh(a),
  });
}

export interface FinishBody {
  summary?: string;
  participants?: number;
  peopleServed?: number;
  overrides?: { signupId: string; reason: string }[];
}

/** 发布 / 取消 / 结束: the answer is the updated activity (结束 adds recordsCreated). */
export function useActivityTransition(id: string) {
  const qc = useQueryClient();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ action, body }: { action: 'publish' | 'cancel' | 'finish'; body?: FinishBody | { series?: boolean } }) =>
      api<ActivityDto & { recordsCreated?: number }>(`/activities/${id}/${action}`, { method: 'POST', body: body ?? {} }),
    onSuccess: (a, v) => {
      const { recordsCreated: _n, ...activity } = a;
      refresh(activity);
      // 发布整个系列 changes the other occurrences too.
      if (v.action === 'publish' && activity.seriesId) void qc.invalidateQueries({ queryKey: ['activities', 'one'] });
      void qc.invalidateQueries({ queryKey: activityKeys.signups(id) });
      // 结束 creates pending service records (时长审核 and 我的志愿 show them).
      if (v.action === 'finish') void qc.invalidateQueries({ queryKey: ['service-records'] });
    },
    onError: (e) => {
      if (isApiError(e) && (e.status === 409 || e.status === 403)) void qc.invalidateQueries({ queryKey: activityKeys.one(id) });
    },
  });
}

/**
 * 报名. One Idempotency-Key per attempt, kept for a retry after a network failure (the first
 * request may have arrived), dropped once the server has answered.
 */
export function useSignup(id: string) {
  const qc = useQueryClient();
  const keys = useRef(new Map<SignupRole, string>());
  return useMutation({
    mutationFn: (role: SignupRole) => {
      const key = keys.current.get(role) ?? uuid();
      keys.current.set(role, key);
      return api<{ id: string; status: 'registered' | 'waitlisted'; role: SignupRole; position: number | null }>(`/activities/${id}/signups`, {
        method: 'POST',
        body: { role },
        headers: { 'Idempotency-Key': key },
      });
    },
    onSettled: (_d, e, role) => {
      if (!(isApiError(e) && e.code === 'NETWORK')) keys.current.delete(role);
      void qc.invalidateQueries({ queryKey: activityKeys.one(id) });
      void qc.invalidateQueries({ queryKey: activityKeys.lists });
    },
  });
}

export function useWithdraw(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>(`/activities/${id}/signups/me`, { method: 'DELETE' }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: activityKeys.one(id) });
      void qc.invalidateQueries({ queryKey: activityKeys.lists });
    },
  });
}

export function useSignups(id: string | undefined, opts: { enabled?: boolean; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: activityKeys.signups(id ?? ''),
    queryFn: () => api<SignupDto[]>(`/activities/${id}/signups`),
    enabled: !!id && (opts.enabled ?? true),
    staleTime: 5_000,
    refetchInterval: opts.refetchInterval,
  });
}

/** The current check-in code (organiser), fetched again every `refetchInterval` ms. */
export function useCheckinCode(id: string | undefined, opts: { enabled?: boolean; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: activityKeys.code(id ?? ''),
    queryFn: () => api<{ code: string; expiresAt: string }>(`/activities/${id}/checkin-code`),
    enabled: !!id && (opts.enabled ?? true),
    staleTime: 0,
    gcTime: 0,
    refetchInterval: opts.refetchInterval,
    refetchIntervalInBackground: true,
    retry: 1,
  });
}

/** 签到 / 签退 with the scanned code (and, for check-in, where the phone is). */
export function useStamp(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, code, lat, lng }: { kind: 'checkin' | 'checkout'; code: string; lat?: number; lng?: number }) =>
      api<{ at: string }>(`/activities/${id}/${kind}`, { method: 'POST', body: { code, lat, lng } }),
    onSettled: () => void qc.invalidateQueries({ queryKey: activityKeys.one(id) }),
  });
}

/** 补录出勤 (organiser), for people without a phone. */
export function useAttendance(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { signupId: string; checkinAt: string; checkoutAt: string; reason: string }) =>
      api<{ ok: true }>(`/activities/${id}/attendance`, { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: activityKeys.signups(id) }),
  });
}

/** Teams in the caller's scope (staff), for the editor. */
export function useTeamOptions(q: string, enabled = true) {
  return useQuery({
    queryKey: ['activities', 'team-options', q],
    queryFn: ({ signal }) => api<Page<TeamDto>>('/teams', { query: { q: q || undefined, limit: 30 }, signal }),
    enabled,
    staleTime: 60_000,
  });
}

/** One team (its name on the detail page); null when the caller may not read it. */
export function useTeamName(id: string | null | undefined) {
  return useQuery({
    queryKey: ['activities', 'team', id ?? ''],
    queryFn: async () => {
      try {
        return (await api<TeamDto>(`/teams/${id}`)).name;
      } catch (e) {
        if (isApiError(e) && (e.status === 403 || e.status === 404)) return null;
        throw e;
      }
    },
    enabled: !!id,
    staleTime: 5 * 60_000,
  });
}

/**
 * Where a team leader may hold an activity: the team's own site and the sites directly below it,
 * from the public site directory (GET /sites; 队长 have no staff view of the tree).
 */
export function useTeamSites(team: { orgId: string; orgName: string } | undefined) {
  return useQuery({
    queryKey: ['activities', 'team-sites', team?.orgId ?? ''],
    queryFn: async ({ signal }) => {
      const [self, below] = await Promise.all([
        api<Page<OrgDto>>('/sites', { query: { q: team!.orgName.slice(0, 50), limit: 20 }, signal }),
        api<Page<OrgDto>>('/sites', { query: { parentId: team!.orgId, limit: 100 }, signal }),
      ]);
      const own = self.items.find((o) => o.id === team!.orgId);
      return own ? [own, ...below.items] : below.items;
    },
    enabled: !!team,
    staleTime: 5 * 60_000,
  });
}
