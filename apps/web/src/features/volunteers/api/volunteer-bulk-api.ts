import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page, PartyUnitDto, VolunteerImportDto } from '@wenming/contracts';
import { api, API_BASE, withQuery } from '../../../lib/api-client';
import type { VolunteerFilter } from './volunteers-api';

/** Downloads are plain GET links: the session cookie goes along, the server names the file. */
export const importTemplateUrl = () => `${API_BASE}/volunteers/import-template`;
export const importErrorsUrl = (id: string) => `${API_BASE}/volunteers/imports/${id}/errors.xlsx`;
export const exportUrl = (f: VolunteerFilter) => withQuery(`${API_BASE}/volunteers/export`, { ...f });

export const IMPORT_FIELD_NAMES: Record<string, string> = {
  row: '整行',
  realName: '姓名',
  idNumber: '身份证号',
  phone: '手机号',
  site: '报到阵地',
  skills: '技能',
  politicalStatus: '政治面貌',
  workUnit: '工作单位',
  team: '团队',
};

/** Starts an import (POST /volunteers/imports, multipart field `file`) → the job id. */
export function useStartImport() {
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api<{ id: string }>('/volunteers/imports', { method: 'POST', body: form });
    },
  });
}

/** The job, polled every second until it is done or failed. */
export function useImportJob(id: string | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['volunteer-imports', id],
    queryFn: async () => {
      const job = await api<VolunteerImportDto>(`/volunteers/imports/${id}`);
      if (job.state === 'done' || job.state === 'failed') void qc.invalidateQueries({ queryKey: ['volunteers', 'list'] });
      return job;
    },
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && (q.state.data.state === 'done' || q.state.data.state === 'failed') ? false : 1000),
  });
}

export interface PartyUnitsFilter {
  orgId?: string;
  q?: string;
}

export function usePartyUnits(f: PartyUnitsFilter) {
  return useInfiniteQuery({
    queryKey: ['volunteers', 'party-units', f],
    queryFn: ({ pageParam, signal }) =>
      api<Page<PartyUnitDto>>('/volunteers/party-units', { query: { ...f, limit: 50, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

// --- 与全国志愿服务信息系统交换 (docs/volunteers.md) ---------------------------------------------

/** The caller's volunteers (or one site's) and their verified hours in the national layout. */
export const nationalExportUrl = (f: { orgId?: string; from?: string; to?: string }) => withQuery(`${API_BASE}/exchange/national/export.xlsx`, { ...f });
/** One volunteer's complete record in the national layout. */
export const nationalRecordUrl = (volunteerId: string) => `${API_BASE}/volunteers/${volunteerId}/national-record.xlsx`;

export interface NationalImportResult {
  volunteers: { created: number; matched: number };
  records: { created: number; skipped: number };
  hours: number;
}

/** Loads a file in the national layout into a site: all of it, or nothing with every bad row named. */
export function useNationalImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, file }: { orgId: string; file: File }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api<NationalImportResult>('/exchange/national/imports', { method: 'POST', body: form, query: { orgId } });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['volunteers', 'list'] }),
  });
}
