import { useQuery } from '@tanstack/react-query';
import { api } from './api-client';

/**
 * The address the public reaches this deployment at (PUBLIC_BASE_URL on the server, else the
 * address this page was opened at): QR codes, printed certificates and shared links carry it, so
 * a certificate printed from an intranet browser still verifies from anywhere.
 */
let known: string | null = null;

/** The public origin if already loaded, else this page's own. */
export function publicOrigin(): string {
  return known ?? window.location.origin;
}

/** Loads the public origin once per page; null while loading (draw nothing that carries it yet). */
export function usePublicOrigin(): string | null {
  const q = useQuery({
    queryKey: ['public-config'],
    queryFn: async () => {
      const r = await api<{ publicBaseUrl: string }>('/public-config');
      known = r.publicBaseUrl.replace(/\/+$/, '');
      return known;
    },
    staleTime: Infinity,
    retry: 1,
  });
  if (q.isPending) return null;
  return q.data ?? window.location.origin;
}
