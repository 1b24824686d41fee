import { Breadcrumb, Button, Empty, Spin, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { OrgDto } from '@wenming/contracts';
import { OrgLevelTag } from '../../../components/org-level-tag';
import { QueryError } from '../../../components/query-error';
import { listOrgs, orgKeys } from '../api/orgs-api';

/** Sites matching a name, address or region code, each shown with the chain it sits in. */
export function OrgSearchResults({ q, onOpen }: { q: string; onOpen: (org: OrgDto) => void }) {
  const query = useInfiniteQuery({
    queryKey: orgKeys.search(q),
    queryFn: ({ pageParam, signal }) => listOrgs({ q, cursor: pageParam, limit: 30 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  if (query.isPending) {
    return (
      <div style={{ padding: 32, textAlign: 'center' }}>
        <Spin description="搜索中…" />
      </div>
    );
  }
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const items = query.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <Empty description={`没有找到与“${q}”匹配的阵地`} />;
  return (
    <div className="org-search-results" data-testid="org-search-results">
      <Typography.Text type="secondary">
        {query.hasNextPage ? `已显示前 ${items.length} 个结果` : `共 ${items.length} 个结果`}，点击结果查看详情
      </Typography.Text>
      <ul className="result-list">
        {items.map((o) => (
          <li key={o.id}>
            <button type="button" className="result-item" onClick={() => onOpen(o)} data-testid="org-search-result">
              <div className="result-title">
                <OrgLevelTag level={o.level} />
                <span>{o.name}</span>
              </div>
              {o.pathNames.length > 0 && <Breadcrumb className="result-path" items={o.pathNames.map((n) => ({ title: n }))} />}
              {o.address && (
                <Typography.Text type="secondary" className="result-address">
                  {o.address}
                </Typography.Text>
              )}
            </button>
          </li>
        ))}
      </ul>
      {query.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            加载更多
          </Button>
        </div>
      )}
    </div>
  );
}
