import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EvaluatedLevel, EvaluationRowDto, EvaluationRunDto, IndicatorSystemDto, ScorecardDto, TIndicatorInput } from '@wenming/contracts';
import { api, withQuery } from '../../../lib/api-client';

export const evaluationKeys = {
  all: ['evaluation'] as const,
  system: (orgId: string | null) => ['evaluation', 'system', orgId ?? 'default'] as const,
  list: (f: EvaluationFilter) => ['evaluation', 'list', f] as const,
  scorecard: (orgId: string, period: string) => ['evaluation', 'scorecard', orgId, period] as const,
};

export interface EvaluationFilter {
  period: string;
  orgId?: string;
  level?: EvaluatedLevel;
  flagged?: boolean;
}

export interface EvaluationPage {
  items: EvaluationRowDto[];
  nextCursor: string | null;
  runs: EvaluationRunDto[];
}

/** The indicator system in force below a site (null: the platform default). */
export function useIndicatorSystem(orgId: string | null) {
  return useQuery({
    queryKey: evaluationKeys.system(orgId),
    queryFn: () => api<IndicatorSystemDto>('/evaluation-indicators', { query: { orgId: orgId ?? undefined } }),
  });
}

export function useSaveIndicatorSystem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { orgId: string; indicators: TIndicatorInput[] }) => api<IndicatorSystemDto>('/evaluation-indicators', { method: 'PUT', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: evaluationKeys.all }),
  });
}

/** One ranking page (up to 200 sites, best first). */
export function useEvaluations(f: EvaluationFilter, limit = 200) {
  return useQuery({
    queryKey: evaluationKeys.list(f),
    queryFn: () =>
      api<EvaluationPage>('/evaluations', { query: { period: f.period, orgId: f.orgId, level: f.level, flagged: f.flagged ? 'true' : undefined, limit } }),
  });
}

export function useScorecard(orgId: string | undefined, period: string) {
  return useQuery({
    queryKey: evaluationKeys.scorecard(orgId ?? '', period),
    queryFn: () => api<ScorecardDto>(`/evaluations/${orgId}/scorecard`, { query: { period } }),
    enabled: !!orgId,
    retry: false,
  });
}

export function useComputeEvaluation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { period: string; orgId?: string; force?: boolean }) =>
      api<{ period: string; runs: (EvaluationRunDto & { recomputed: boolean })[] }>('/evaluations/compute', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: evaluationKeys.all }),
  });
}

export function exportUrl(f: Omit<EvaluationFilter, 'flagged'>): string {
  return withQuery('/api/v1/evaluations/export', { period: f.period, orgId: f.orgId, level: f.level });
}
