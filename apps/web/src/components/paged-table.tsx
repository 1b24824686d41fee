import type { ReactNode } from 'react';
import { Button, Table, Typography, type TableProps } from 'antd';
import type { PagedQuery } from './h5-paged-list';
import { QueryError } from './query-error';

/**
 * A console table fed page by page — the desktop sibling of `H5PagedList`, over the same
 * `PagedQuery`: the error with a retry instead of the table, the table (its own empty text in
 * `locale`) while the first page loads and after, and 加载更多 while more pages remain. With a
 * `countText` (e.g. 已显示 12 位志愿者) the button stands at its right; without one, centred below.
 */
export function PagedTable<T extends object>({
  query,
  items,
  countText,
  moreGap = 16,
  ...table
}: {
  query: PagedQuery<T>;
  /** What to show when the page derives the rows itself (default: all loaded). */
  items?: readonly T[];
  countText?: ReactNode;
  /** Space above a centred 加载更多. */
  moreGap?: number;
} & Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'>) {
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const rows = items ?? query.data?.pages.flatMap((p) => p.items) ?? [];
  const more = query.hasNextPage && (
    <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
      加载更多
    </Button>
  );
  return (
    <>
      <Table<T> {...table} loading={query.isPending} dataSource={rows} pagination={false} />
      {countText !== undefined ? (
        <div className="table-footer">
          <Typography.Text type="secondary">{countText}</Typography.Text>
          {more}
        </div>
      ) : (
        more && <div style={{ textAlign: 'center', marginTop: moreGap }}>{more}</div>
      )}
    </>
  );
}
