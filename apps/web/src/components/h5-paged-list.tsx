import { Fragment, type ReactNode } from 'react';
import { Button, Empty, Skeleton } from 'antd';
import { QueryError } from './query-error';

/** What the list needs of a paged (infinite) query: its pages, its state and how to load more. */
export interface PagedQuery<T> {
  data?: { pages: { items: T[] }[] };
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage: boolean;
  fetchNextPage: () => unknown;
  isFetchingNextPage: boolean;
}

/**
 * A phone list of cards fed page by page: a skeleton while the first page loads (or while the
 * page is not `ready` to ask yet), the error with a retry, an empty card that says why it is
 * empty (with an optional action under it), and a large 加载更多 button while more pages remain.
 */
export function H5PagedList<T extends { id: string }>({
  query,
  items: shown,
  ready = true,
  empty,
  emptyAction,
  renderItem,
}: {
  query: PagedQuery<T>;
  /** What to show when the page filters or sorts the loaded items itself (default: all loaded). */
  items?: T[];
  ready?: boolean;
  empty: ReactNode;
  emptyAction?: ReactNode;
  renderItem: (item: T) => ReactNode;
}) {
  if (!ready || query.isPending)
    return (
      <section className="h5-card">
        <Skeleton active />
      </section>
    );
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const items = shown ?? query.data?.pages.flatMap((p) => p.items) ?? [];
  if (!items.length)
    return (
      <section className="h5-card">
        <Empty description={empty}>{emptyAction}</Empty>
      </section>
    );
  return (
    <>
      {items.map((item) => (
        <Fragment key={item.id}>{renderItem(item)}</Fragment>
      ))}
      {query.hasNextPage && (
        <Button block size="large" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
          加载更多
        </Button>
      )}
    </>
  );
}
