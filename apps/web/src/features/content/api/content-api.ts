import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ContentColumnDto, ContentDto, ContentSummaryDto, Page, TContentKind, TCreateContentBody, TUpdateContentBody } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export type { ContentColumnDto, ContentDto, ContentSummaryDto, TContentKind };
export type ContentState = ContentSummaryDto['state'];

export const KIND_NAMES: Record<TContentKind, string> = { news: '资讯', policy: '政策解读', lecture: '云讲堂', reading: '掌上悦读' };
export const KINDS = Object.keys(KIND_NAMES) as TContentKind[];
export const STATE_NAMES: Record<ContentState, string> = { draft: '草稿', published: '已发布', withdrawn: '已下线' };

export interface ContentFilter {
  kind?: TContentKind;
  columnId?: string;
  orgId?: string;
  q?: string;
  /** Staff console: every state in the caller's subtree. */
  manage?: boolean;
  state?: ContentState;
}

function query(f: ContentFilter) {
  return { kind: f.kind, columnId: f.columnId, orgId: f.orgId, q: f.q || undefined, manage: f.manage ? 'true' : undefined, state: f.state };
}

/** A list, newest first, page by page (searches come best first in one page). */
export function useContentList(f: ContentFilter, limit = 20) {
  return useInfiniteQuery({
    queryKey: ['contents', 'list', f, limit],
    queryFn: ({ pageParam }) => api<Page<ContentSummaryDto>>('/contents', { query: { ...query(f), limit, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useContent(id: string | undefined) {
  return useQuery({ queryKey: ['contents', 'one', id], queryFn: () => api<ContentDto>(`/contents/${id}`), enabled: !!id });
}

export function useColumns(f: { orgId?: string; kind?: TContentKind }) {
  return useQuery({
    queryKey: ['content-columns', f],
    queryFn: () => api<{ items: ContentColumnDto[] }>('/content-columns', { query: f }).then((r) => r.items),
    staleTime: 60_000,
  });
}

export function useContentMutations() {
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['contents'] });
  return {
    create: useMutation({ mutationFn: (b: TCreateContentBody) => api<ContentDto>('/contents', { method: 'POST', body: b }), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, patch }: { id: string; patch: TUpdateContentBody }) => api<ContentDto>(`/contents/${id}`, { method: 'PATCH', body: patch }),
      onSuccess: refresh,
    }),
    publish: useMutation({ mutationFn: (id: string) => api<ContentDto>(`/contents/${id}/publish`, { method: 'POST', body: {} }), onSuccess: refresh }),
    withdraw: useMutation({ mutationFn: (id: string) => api<ContentDto>(`/contents/${id}/withdraw`, { method: 'POST', body: {} }), onSuccess: refresh }),
    createColumn: useMutation({
      mutationFn: (b: { orgId: string; kind: TContentKind; name: string; description?: string }) =>
        api<ContentColumnDto>('/content-columns', { method: 'POST', body: b }),
      onSuccess: () => void qc.invalidateQueries({ queryKey: ['content-columns'] }),
    }),
  };
}
