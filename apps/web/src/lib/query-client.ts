import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-client';

export const ME_KEY = ['me'] as const;

/** The session ended (expired, or signed out elsewhere): forget who we were, the guards send us to /login. */
function onError(e: unknown, client: () => QueryClient) {
  if (isApiError(e) && e.status === 401) client().setQueryData(ME_KEY, null);
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (e, query) => query.queryKey[0] !== ME_KEY[0] && onError(e, () => client) }),
    mutationCache: new MutationCache({ onError: (e) => onError(e, () => client) }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, e) => (isApiError(e) ? e.status >= 500 || e.status === 0 : true) && count < 2,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
