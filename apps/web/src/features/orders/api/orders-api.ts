import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrderChannel, Page, TAssistedOrderBody, TSubmitOrderBody } from '@wenming/contracts';
import type { OrderState } from '@wenming/domain';
import { api, isApiError } from '../../../lib/api-client';

export type Nature = 'service' | 'petition' | 'complaint' | 'consult';
export type Urgency = 'normal' | 'urgent' | 'critical';
export type OrderAction =
  | 'dispatch'
  | 'forward'
  | 'reject'
  | 'accept'
  | 'decline'
  | 'start'
  | 'complete'
  | 'resolve'
  | 'rate'
  | 'cancel'
  | 'reopen'
  | 'acknowledge'
  | 'dispute'
  | 'extension'
  | 'extension/grant'
  | 'extension/refuse'
  | 'co-units'
  | 'reassign';

export interface TimelineEntry {
  at: string;
  actorId: string | null;
  action: string;
  actionName: string;
  fromState: OrderState | null;
  toState: OrderState;
  note: string | null;
}

export interface OrderDto {
  id: string;
  code: string;
  state: OrderState;
  title: string | null;
  content: string;
  category: string;
  nature: Nature;
  urgency: Urgency;
  triage: { category: string; nature: Nature; urgency: Urgency; confidence: number; lowConfidence: boolean } | null;
  orgId: string;
  orgName: string;
  handlingOrgId: string;
  handlingOrgName: string;
  escalationLevel: number;
  requesterId: string;
  requesterName: string | null;
  requesterPhone: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  preferredAt: string | null;
  serviceItemId?: string | null;
  assignee: { teamId?: string; teamName?: string; volunteerId?: string; volunteerName?: string; departmentId?: string; departmentName?: string };
  servers: { volunteerId: string; realName: string }[];
  acceptDueAt: string;
  overdue: boolean;
  report: string | null;
  reply: string | null;
  hours: number | null;
  rating?: { score: number; comment: string | null; at: string | null };
  rejectReason: string | null;
  createdAt: string;
  allowedActions: string[];
  /** 接诉即办: the department's 签收 and 办理 limits, the running stage's deadline, supervision. */
  ackDueAt?: string | null;
  acknowledgedAt?: string | null;
  resolveDueAt?: string | null;
  stageDueAt?: string | null;
  supervision?: { at: string; note: string | null } | null;
  disputeCount?: number;
  extension?: { until: string; reason: string | null; pending: boolean } | null;
  coDepartmentIds?: string[];
  /** 代点单: how it came in (app: the resident themself) and whether staff entered it. */
  channel?: OrderChannel;
  assisted?: boolean;
  /** Pictures taken at 点单. */
  photos?: { id: string; url: string }[];
  /** Only in GET /orders/:id and in the answers to actions. */
  timeline?: TimelineEntry[];
}

export interface CandidateDto {
  /** department: from the routing directory (派单目录), listed first for petitions, complaints, consultations. */
  kind: 'team' | 'volunteer' | 'department';
  id: string;
  name: string;
  score: number;
  reasons: string[];
  /** Something to weigh first: beyond the radius, or offered by the district or city fallback (issue 18). */
  warning?: string;
}

export interface ServiceItemDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  category: string;
  description: string | null;
  defaultUrgency: Urgency;
  teamIds: string[];
  status: 'active' | 'retired';
}

export interface OrderListFilter {
  state?: string;
  orgId?: string;
  mine?: boolean;
  desk?: boolean;
  assigned?: boolean;
  revisit?: boolean;
  /** The running deadline first (the department officer's queue). */
  byDeadline?: boolean;
  /** The desk's search (code, phone or words) and filters. */
  q?: string;
  from?: string;
  to?: string;
  category?: string;
  nature?: Nature;
  urgency?: Urgency;
}

export const orderKeys = {
  all: ['orders'] as const,
  list: (f: OrderListFilter, limit: number) => ['orders', 'list', f, limit] as const,
  one: (id: string) => ['orders', 'one', id] as const,
  candidates: (id: string) => ['orders', 'candidates', id] as const,
};

function listQuery(f: OrderListFilter) {
  return {
    state: f.state,
    orgId: f.orgId,
    mine: f.mine ? 'true' : undefined,
    desk: f.desk ? 'true' : undefined,
    assigned: f.assigned ? 'true' : undefined,
    revisit: f.revisit ? 'true' : undefined,
    sort: f.byDeadline ? 'deadline' : undefined,
    q: f.q || undefined,
    from: f.from,
    to: f.to,
    category: f.category,
    nature: f.nature,
    urgency: f.urgency,
  };
}

export function useOrders(f: OrderListFilter, opts: { limit?: number; refetchInterval?: number; enabled?: boolean } = {}) {
  const limit = opts.limit ?? 50;
  return useInfiniteQuery({
    queryKey: orderKeys.list(f, limit),
    queryFn: ({ pageParam, signal }) => api<Page<OrderDto>>('/orders', { query: { ...listQuery(f), limit, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: opts.refetchInterval,
    enabled: opts.enabled ?? true,
    staleTime: 10_000,
  });
}

export function useOrder(id: string | null | undefined) {
  return useQuery({
    queryKey: orderKeys.one(id ?? ''),
    queryFn: () => api<OrderDto>(`/orders/${id}`),
    enabled: !!id,
    staleTime: 5_000,
  });
}

export function useCandidates(id: string | null | undefined, enabled = true) {
  return useQuery({
    queryKey: orderKeys.candidates(id ?? ''),
    queryFn: () => api<CandidateDto[]>(`/orders/${id}/candidates`),
    enabled: !!id && enabled,
    staleTime: 15_000,
  });
}

export function useSubmitOrder() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: TSubmitOrderBody; key: string }) =>
      api<OrderDto>('/orders', { method: 'POST', body, headers: { 'Idempotency-Key': key } }),
    onSuccess: (o) => {
      qc.setQueryData(orderKeys.one(o.id), o);
      void qc.invalidateQueries({ queryKey: ['orders', 'list'] });
    },
  });
}

/** 代点单: staff enter an order for a resident (found or signed up by phone). */
export function useAssistedOrder() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: TAssistedOrderBody; key: string }) =>
      api<OrderDto>('/orders/assisted', { method: 'POST', body, headers: { 'Idempotency-Key': key } }),
    onSuccess: (o) => {
      qc.setQueryData(orderKeys.one(o.id), o);
      void qc.invalidateQueries({ queryKey: ['orders', 'list'] });
    },
  });
}

/** The query of a list filter, for the ledger export (GET /orders/export takes the list's filters). */
export const orderListQuery = (f: OrderListFilter) => listQuery(f);

/**
 * Any action on an order (POST /orders/:id/<action>): the answer is the updated order, which
 * replaces the cached one; lists refetch. A 409 (the order moved on meanwhile) refetches too.
 */
export function useOrderAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: OrderAction | 'triage'; body?: unknown }) =>
      api<OrderDto>(`/orders/${id}/${action}`, { method: 'POST', body: body ?? {} }),
    onSuccess: (o) => {
      qc.setQueryData(orderKeys.one(o.id), o);
      void qc.invalidateQueries({ queryKey: ['orders', 'list'] });
      void qc.invalidateQueries({ queryKey: orderKeys.candidates(o.id) });
    },
    onError: (e) => {
      if (isApiError(e) && (e.status === 409 || e.status === 403)) void qc.invalidateQueries({ queryKey: orderKeys.all });
    },
  });
}

/** The service menu (菜篮子) of a community: its items and those of the sites above it. */
export function useServiceMenu(orgId: string | null | undefined) {
  return useQuery({
    queryKey: ['service-items', 'menu', orgId ?? ''],
    queryFn: () => api<ServiceItemDto[]>('/service-items', { query: { orgId: orgId ?? undefined } }),
    enabled: !!orgId,
    staleTime: 5 * 60_000,
  });
}

export interface DepartmentOption {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
}

/** Departments an order can be forwarded to (GET /departments?orgId=). */
export function useDepartmentsOf(orgId: string | null | undefined) {
  return useQuery({
    queryKey: ['departments', 'of', orgId ?? 'all'],
    queryFn: () => api<Page<DepartmentOption>>('/departments', { query: { orgId: orgId ?? undefined, limit: 200 } }),
    staleTime: 5 * 60_000,
  });
}

export interface TeamWithMembers {
  id: string;
  name: string;
  leaderUserId: string | null;
  members: { volunteerId: string; realName: string; skills: string[]; status: string; totalHours: number }[];
}

/** A team's members, for the leader to name who serves an order. */
export function useTeamMembers(teamId: string | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['teams', 'one', teamId ?? ''],
    queryFn: () => api<TeamWithMembers>(`/teams/${teamId}`),
    enabled: !!teamId && enabled,
  });
}

export interface DepartmentFigures {
  departmentId: string;
  name: string;
  orgName: string;
  received: number;
  open: number;
  overdue: number;
  ackRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  disputes: number;
  disputeRate: number | null;
  avgHandleHours: number | null;
  minSample: number;
}

/** 三率 per department (GET /departments/stats): an officer gets their own department's. */
export function useDepartmentFigures(orgId?: string) {
  return useQuery({
    queryKey: ['departments', 'stats', orgId ?? ''],
    queryFn: () => api<{ items: DepartmentFigures[] }>('/departments/stats', { query: { orgId } }),
    staleTime: 30_000,
  });
}
