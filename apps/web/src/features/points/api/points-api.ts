import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdjustmentDto, Page, PointsReportDto, PointsRulesDto, RedemptionDto, RedemptionStatus, RewardDto, TPointsRuleBody } from '@wenming/contracts';
import { api, type Query } from '../../../lib/api-client';
import { uuid } from '../../../lib/uuid';

export const pointsKeys = {
  /** Shared with 我的志愿 (the volunteer page shows the balance too). */
  me: ['points', 'me'] as const,
  available: ['rewards', 'available'] as const,
  site: (orgId: string | undefined) => ['rewards', 'site', orgId ?? ''] as const,
  scope: (orgId: string | undefined) => ['rewards', 'scope', orgId ?? ''] as const,
  myRedemptions: ['redemptions', 'mine'] as const,
  code: (code: string) => ['redemptions', 'code', code] as const,
  redemptions: (f: RedemptionFilters) => ['redemptions', 'list', f] as const,
  adjustments: (status: string) => ['points', 'adjustments', status] as const,
  rules: (orgId: string) => ['points', 'rules', orgId] as const,
  report: (orgId: string | undefined, from: string, to: string) => ['points', 'report', orgId ?? '', from, to] as const,
};

export interface LedgerItem {
  at: string;
  delta: number;
  reason: string;
  refType: string | null;
  refId: string | null;
  note?: string | null;
}
export interface MyPoints {
  balance: number;
  earned: number;
  spent: number;
  items: LedgerItem[];
}

export interface RedeemResult {
  id: string;
  pickupCode: string;
  balance: number;
  rewardName: string;
  pickupOrgName: string;
  quantity: number;
  points: number;
}

export interface RedemptionFilters {
  orgId?: string;
  rewardId?: string;
  status?: RedemptionStatus;
  from?: string;
  to?: string;
}

// ——— H5 ———

export function useMyPoints() {
  return useQuery({ queryKey: pointsKeys.me, queryFn: () => api<MyPoints>('/points/me') });
}

/** 积分商城: what I may redeem (the supermarkets of my sites and above). */
export function useAvailableRewards() {
  return useQuery({ queryKey: pointsKeys.available, queryFn: () => api<RewardDto[]>('/rewards/available') });
}

export function useRedeem() {
  const qc = useQueryClient();
  return useMutation({
    // One key per attempt: a retried request after a lost answer redeems once.
    mutationFn: ({ id, quantity, key }: { id: string; quantity: number; key: string }) =>
      api<RedeemResult>(`/rewards/${id}/redeem`, { method: 'POST', body: { quantity }, headers: { 'Idempotency-Key': key } }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['rewards'] });
      void qc.invalidateQueries({ queryKey: ['redemptions'] });
      void qc.invalidateQueries({ queryKey: pointsKeys.me });
    },
  });
}
export const newRedeemKey = uuid;

export function useMyRedemptions() {
  return useQuery({ queryKey: pointsKeys.myRedemptions, queryFn: () => api<RedemptionDto[]>('/redemptions/mine') });
}

export function useCancelRedemption() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<RedemptionDto>(`/redemptions/${id}/cancel`, { method: 'POST', body: {} }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['rewards'] });
      void qc.invalidateQueries({ queryKey: ['redemptions'] });
      void qc.invalidateQueries({ queryKey: pointsKeys.me });
    },
  });
}

// ——— Admin ———

/** The rewards staff manage: a site's subtree, or their whole scope. */
export function useScopeRewards(orgId: string | undefined) {
  return useQuery({
    queryKey: pointsKeys.scope(orgId),
    queryFn: () => api<RewardDto[]>('/rewards', { query: orgId ? { orgId, subtree: 'true' } : undefined }),
  });
}

export interface CreateRewardBody {
  orgId: string;
  name: string;
  cost: number;
  stock: number;
  perUserLimit?: number;
  pickupOrgId?: string;
  description?: string;
  availableFrom?: string;
  availableTo?: string;
  photoIds?: string[];
}

export function useCreateReward() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRewardBody) => api<RewardDto>('/rewards', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['rewards'] }),
  });
}

export function useRewardAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, add }: { id: string; action: 'restock' | 'retire'; add?: number }) =>
      api<RewardDto>(`/rewards/${id}/${action}`, { method: 'POST', body: action === 'restock' ? { add } : {} }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['rewards'] });
      void qc.invalidateQueries({ queryKey: ['points', 'report'] });
    },
  });
}

/** Staff look a pick-up code up; a code that matches nothing is a 404 the page explains. */
export function useRedemptionByCode(code: string | null) {
  return useQuery({
    queryKey: pointsKeys.code(code ?? ''),
    queryFn: () => api<RedemptionDto[]>('/redemptions', { query: { pickupCode: code } }),
    enabled: !!code,
    retry: false,
    staleTime: 0,
  });
}

export function useFulfill() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, pickupCode }: { id: string; pickupCode: string }) =>
      api<RedemptionDto>(`/redemptions/${id}/fulfill`, { method: 'POST', body: { pickupCode } }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['redemptions'] });
      void qc.invalidateQueries({ queryKey: ['points', 'report'] });
    },
  });
}

export function useRedemptions(f: RedemptionFilters) {
  return useInfiniteQuery({
    queryKey: pointsKeys.redemptions(f),
    queryFn: ({ pageParam }) => api<Page<RedemptionDto>>('/rewards/redemptions', { query: { ...f, limit: 20, cursor: pageParam } as Query }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAdjustments(status: 'pending' | 'all') {
  return useQuery({
    queryKey: pointsKeys.adjustments(status),
    queryFn: () => api<AdjustmentDto[]>('/points/adjustments', { query: status === 'all' ? undefined : { status } }),
  });
}

export function useRequestAdjustment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { userId?: string; phone?: string; orgId: string; delta: number; reason: string }) =>
      api<{ id: string; status: 'pending' }>('/points/adjustments', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['points', 'adjustments'] }),
  });
}

export function useDecideAdjustment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) =>
      api<{ id: string; status: string }>(`/points/adjustments/${id}/${approve ? 'approve' : 'reject'}`, { method: 'POST', body: {} }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['points', 'adjustments'] });
      void qc.invalidateQueries({ queryKey: ['points', 'report'] });
    },
  });
}

export function usePointsRules(orgId: string | undefined) {
  return useQuery({ queryKey: pointsKeys.rules(orgId ?? ''), queryFn: () => api<PointsRulesDto>('/points/rules', { query: { orgId } }), enabled: !!orgId });
}

export function useSetPointsRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TPointsRuleBody) => api<{ rules: PointsRulesDto }>('/points/rules', { method: 'PUT', body }),
    // Sites below inherit: every cached rule set may have changed.
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['points', 'rules'] }),
  });
}

export function usePointsReport(orgId: string | undefined, from: string, to: string) {
  return useQuery({ queryKey: pointsKeys.report(orgId, from, to), queryFn: () => api<PointsReportDto>('/points/report', { query: { orgId, from, to } }) });
}
