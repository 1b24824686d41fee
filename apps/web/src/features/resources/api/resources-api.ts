import { useRef } from 'react';
import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page, ResourceCategory, ResourceTypeDto, TCreateResourceBody, TUpdateResourceBody } from '@wenming/contracts';
import type { BookingState, OpenHours } from '@wenming/domain';
import { api, isApiError } from '../../../lib/api-client';
import { uuid } from '../../../lib/uuid';

export type ResourceAction = 'book' | 'edit';
export type BookingAction = 'approve' | 'reject' | 'cancel' | 'checkin' | 'complete' | 'review';

/** GET /resources/{id} (API.md "Resource library and bookings"). */
export interface ResourceDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  type: string;
  typeName: string;
  category: ResourceCategory;
  description: string | null;
  capacity: number | null;
  quantity: number | null;
  bookable: boolean;
  requiresApproval: boolean;
  openHours: OpenHours[];
  closedDates: string[];
  slotMinutes: number;
  maxDaysAhead: number;
  maxPerWeek: number | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  rating: number | null;
  reviewCount: number;
  photoIds: string[];
  photos: string[];
  status: 'active' | 'retired';
  allowedActions: ResourceAction[];
}

export interface BookingDto {
  id: string;
  resourceId: string;
  resourceName: string;
  orgId: string;
  orgName: string;
  userId: string;
  userName: string | null;
  userPhone: string | null;
  reviewScore: number | null;
  startsAt: string;
  endsAt: string;
  purpose: string;
  attendees: number;
  quantity: number;
  status: BookingState;
  reason: string | null;
  decidedAt: string | null;
  checkedInAt: string | null;
  createdAt: string;
  allowedActions: BookingAction[];
}

export interface AvailabilityDto {
  date: string;
  closed: boolean;
  slotMinutes: number;
  quantity: number | null;
  open: { startsAt: string; endsAt: string }[];
  booked: { startsAt: string; endsAt: string; quantity: number; status: BookingState }[];
}

export interface UtilizationRow {
  id: string;
  name: string;
  type: string;
  typeName: string;
  category: ResourceCategory;
  orgId: string;
  orgName: string;
  quantity: number | null;
  openHours: number;
  capacityHours: number;
  bookedHours: number;
  utilization: number | null;
  bookings: number;
  noShows: number;
  pending: number;
}

export interface UtilizationSite {
  orgId: string;
  orgName: string;
  resources: number;
  capacityHours: number;
  bookedHours: number;
  utilization: number | null;
  bookings: number;
  noShows: number;
}

export interface UtilizationDto {
  from: string;
  to: string;
  days: number;
  capacityHours: number;
  bookedHours: number;
  utilization: number | null;
  bookings: number;
  noShows: number;
  truncated: boolean;
  resources: UtilizationRow[];
  sites: UtilizationSite[];
}

export interface ResourceFilter {
  orgId?: string;
  type?: string;
  category?: ResourceCategory;
  q?: string;
  status?: 'active' | 'retired' | 'all';
}

export interface BookingFilter {
  orgId?: string;
  resourceId?: string;
  status?: string;
  from?: string;
  to?: string;
  mine?: boolean;
}

export const resourceKeys = {
  all: ['resources'] as const,
  lists: ['resources', 'list'] as const,
  list: (f: ResourceFilter) => ['resources', 'list', f] as const,
  one: (id: string) => ['resources', 'one', id] as const,
  availability: (id: string, date: string) => ['resources', 'availability', id, date] as const,
  bookings: ['bookings'] as const,
  bookingList: (f: BookingFilter) => ['bookings', 'list', f] as const,
  utilization: (q: { orgId?: string; from: string; to: string }) => ['resources', 'utilization', q] as const,
};

/** The 48 types of the five categories (public, cached for the session). */
export function useResourceTypes() {
  return useQuery({ queryKey: ['resource-types'], queryFn: () => api<ResourceTypeDto[]>('/resource-types'), staleTime: 60 * 60_000 });
}

export function useResourceList(f: ResourceFilter, opts: { limit?: number; enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: resourceKeys.list(f),
    queryFn: ({ pageParam, signal }) =>
      api<Page<ResourceDto>>('/resources', { query: { ...f, limit: opts.limit ?? 50, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: opts.enabled ?? true,
  });
}

export function useResource(id: string | undefined) {
  return useQuery({ queryKey: resourceKeys.one(id ?? ''), queryFn: () => api<ResourceDto>(`/resources/${id}`), enabled: !!id, staleTime: 10_000 });
}

export function useAvailability(id: string | undefined, date: string | undefined) {
  return useQuery({
    queryKey: resourceKeys.availability(id ?? '', date ?? ''),
    queryFn: () => api<AvailabilityDto>(`/resources/${id}/availability`, { query: { date } }),
    enabled: !!id && !!date,
    staleTime: 5_000,
  });
}

/** Availability of several days at once (the week strip). */
export function useWeekAvailability(id: string | undefined, dates: string[]) {
  return useQueries({
    queries: dates.map((date) => ({
      queryKey: resourceKeys.availability(id ?? '', date),
      queryFn: () => api<AvailabilityDto>(`/resources/${id}/availability`, { query: { date } }),
      enabled: !!id,
      staleTime: 5_000,
    })),
  });
}

export function useCreateResource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateResourceBody) => api<ResourceDto>('/resources', { method: 'POST', body }),
    onSuccess: (r) => {
      qc.setQueryData(resourceKeys.one(r.id), r);
      void qc.invalidateQueries({ queryKey: resourceKeys.lists });
    },
  });
}

export function useUpdateResource(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TUpdateResourceBody) => api<ResourceDto>(`/resources/${id}`, { method: 'PATCH', body }),
    onSuccess: (r) => {
      qc.setQueryData(resourceKeys.one(r.id), r);
      void qc.invalidateQueries({ queryKey: resourceKeys.lists });
    },
  });
}

/** Bookings: mine, or (staff) those of the subtree in a time range. At most 200 per call. */
export function useBookings(f: BookingFilter, opts: { enabled?: boolean; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: resourceKeys.bookingList(f),
    queryFn: ({ signal }) => api<Page<BookingDto>>('/bookings', { query: { ...f, mine: f.mine ? 'true' : undefined, limit: 200 }, signal }),
    enabled: opts.enabled ?? true,
    refetchInterval: opts.refetchInterval,
  });
}

/**
 * 预约. One Idempotency-Key per attempt, kept for a retry after a network failure (the first
 * request may have arrived), dropped once the server has answered.
 */
export function useBook(resourceId: string) {
  const qc = useQueryClient();
  const key = useRef<string | null>(null);
  return useMutation({
    mutationFn: (body: { startsAt: string; endsAt: string; purpose: string; attendees?: number; quantity?: number }) => {
      key.current ??= uuid();
      return api<BookingDto>(`/resources/${resourceId}/bookings`, { method: 'POST', body, headers: { 'Idempotency-Key': key.current } });
    },
    onSettled: (_d, e) => {
      if (!(isApiError(e) && e.code === 'NETWORK')) key.current = null;
      void qc.invalidateQueries({ queryKey: ['resources', 'availability', resourceId] });
      void qc.invalidateQueries({ queryKey: resourceKeys.bookings });
    },
  });
}

/** 通过 / 驳回 / 取消 / 签到 / 完成: the answer is the updated booking. */
export function useBookingAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: 'approve' | 'reject' | 'cancel' | 'checkin' | 'complete'; reason?: string }) =>
      api<BookingDto>(`/bookings/${id}/${action}`, { method: 'POST', body: action === 'reject' ? { reason } : {} }),
    onSettled: (b) => {
      void qc.invalidateQueries({ queryKey: resourceKeys.bookings });
      if (b) void qc.invalidateQueries({ queryKey: ['resources', 'availability', b.resourceId] });
      void qc.invalidateQueries({ queryKey: ['resources', 'utilization'] });
    },
  });
}

export function useReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, score, comment }: { id: string; score: number; comment?: string }) =>
      api<{ bookingId: string; score: number }>(`/bookings/${id}/review`, { method: 'POST', body: { score, comment } }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: resourceKeys.bookings });
      void qc.invalidateQueries({ queryKey: resourceKeys.all });
    },
  });
}

export function useUtilization(q: { orgId?: string; from: string; to: string }) {
  return useQuery({ queryKey: resourceKeys.utilization(q), queryFn: ({ signal }) => api<UtilizationDto>('/resources/utilization', { query: q, signal }) });
}
