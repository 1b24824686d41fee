import { useCallback, useMemo, useRef, useState } from 'react';
import type { OrgDto } from '@wenming/contracts';
import { listOrgs } from '../api/orgs-api';

/** The key of the scope's roots (GET /orgs without parentId). */
export const ROOT = '__root__';
const PAGE_SIZE = 50;

export interface Bucket {
  items: OrgDto[];
  nextCursor: string | null;
  loading: boolean;
  error?: unknown;
}

type Mode = 'first' | 'more' | 'reload';

/**
 * The lazily loaded org tree: one bucket of children per expanded node, filled a page at a time
 * (GET /orgs?parentId=…&cursor=…), starting from the roots of the caller's scope.
 */
export function useOrgTree() {
  const [buckets, setBuckets] = useState<Record<string, Bucket>>({});
  const [expandedKeys, setExpandedKeys] = useState<string[]>([]);
  const ref = useRef(buckets);
  const inflight = useRef(new Map<string, Promise<Bucket>>());

  const put = useCallback((key: string, b: Bucket) => {
    ref.current = { ...ref.current, [key]: b };
    setBuckets(ref.current);
  }, []);

  const load = useCallback(
    (key: string, mode: Mode = 'first'): Promise<Bucket> => {
      const existing = ref.current[key];
      if (mode === 'first' && existing && !existing.error && !existing.loading) return Promise.resolve(existing);
      if (mode === 'more' && !existing?.nextCursor) return Promise.resolve(existing ?? { items: [], nextCursor: null, loading: false });
      const cursor = mode === 'more' ? existing!.nextCursor : null;
      const flightKey = `${key}|${cursor ?? (mode === 'reload' ? 'reload' : 'first')}`;
      const running = inflight.current.get(flightKey);
      if (running) return running;
      put(key, { items: existing?.items ?? [], nextCursor: existing?.nextCursor ?? null, loading: true });
      const p = listOrgs({ parentId: key === ROOT ? undefined : key, cursor, limit: PAGE_SIZE })
        .then((page) => {
          const before = mode === 'more' ? (ref.current[key]?.items ?? []) : [];
          const seen = new Set(before.map((o) => o.id));
          const b: Bucket = { items: [...before, ...page.items.filter((o) => !seen.has(o.id))], nextCursor: page.nextCursor, loading: false };
          put(key, b);
          return b;
        })
        .catch((error: unknown) => {
          put(key, { items: existing?.items ?? [], nextCursor: existing?.nextCursor ?? null, loading: false, error });
          throw error;
        })
        .finally(() => inflight.current.delete(flightKey));
      inflight.current.set(flightKey, p);
      return p;
    },
    [put],
  );

  /** Puts a changed org in place wherever it is shown. */
  const replace = useCallback(
    (org: OrgDto) => {
      for (const [key, b] of Object.entries(ref.current)) {
        if (b.items.some((o) => o.id === org.id)) put(key, { ...b, items: b.items.map((o) => (o.id === org.id ? org : o)) });
      }
    },
    [put],
  );

  const expand = useCallback((keys: string[]) => {
    setExpandedKeys((prev) => [...new Set([...prev, ...keys])]);
  }, []);

  /**
   * Loads and expands the chain from the scope root down to `org`, paging through long
   * child lists until each next link is found. False when the org is outside the tree.
   */
  const reveal = useCallback(
    async (org: OrgDto): Promise<boolean> => {
      const chain = [...org.path, org.id];
      let roots = await load(ROOT);
      let start = chain.findIndex((id) => roots.items.some((r) => r.id === id));
      while (start === -1 && roots.nextCursor) {
        roots = await load(ROOT, 'more');
        start = chain.findIndex((id) => roots.items.some((r) => r.id === id));
      }
      if (start === -1) return false;
      for (let j = start; j < chain.length - 1; j++) {
        const parent = chain[j]!;
        const target = chain[j + 1]!;
        let b = await load(parent);
        while (!b.items.some((o) => o.id === target) && b.nextCursor) b = await load(parent, 'more');
        if (!b.items.some((o) => o.id === target)) return false;
      }
      expand(chain.slice(start, -1));
      return true;
    },
    [load, expand],
  );

  const visibleIds = useMemo(() => new Set(Object.values(buckets).flatMap((b) => b.items.map((o) => o.id))), [buckets]);

  return { buckets, load, replace, reveal, expandedKeys, setExpandedKeys, expand, visibleIds };
}

export type OrgTreeState = ReturnType<typeof useOrgTree>;
