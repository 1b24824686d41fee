import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { PageLoading } from '../components/page-loading';
import { QueryError } from '../components/query-error';
import { homeOf, useMe } from '../lib/session';

/** Renders its children with the signed-in user; otherwise sends the visitor to /login and back. */
export function RequireSignedIn({ children }: { children: (me: MeDto) => ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError && me.data === undefined)
    return (
      <div style={{ maxWidth: 480, margin: '80px auto', padding: 16 }}>
        <QueryError error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  if (!me.data) {
    const back = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?redirect=${encodeURIComponent(back)}`} replace />;
  }
  return <>{children(me.data)}</>;
}

/** `/`: the right home for whoever is signed in, else the sign-in page. */
export function RootRedirect() {
  const me = useMe();
  if (me.isPending) return <PageLoading />;
  return <Navigate to={me.data ? homeOf(me.data) : '/login'} replace />;
}
