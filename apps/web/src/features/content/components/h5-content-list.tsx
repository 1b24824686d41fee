import { Button, Empty, Skeleton } from 'antd';
import { AudioOutlined, EyeOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { QueryError } from '../../../components/query-error';
import { KIND_NAMES, useContentList, type ContentFilter, type ContentSummaryDto } from '../api/content-api';
import './content.css';

const day = (iso: string | null) =>
  iso ? new Intl.DateTimeFormat('zh-CN', { month: 'numeric', day: 'numeric', timeZone: 'Asia/Shanghai' }).format(new Date(iso)) : '';

export function H5ContentItem({ c, showKind }: { c: ContentSummaryDto; showKind?: boolean }) {
  return (
    <Link to={`/h5/news/${c.id}`} className="h5-news-item" data-testid="news-item">
      <div className="h5-news-text">
        <div>
          <div className="h5-news-title">{c.title}</div>
          {c.summary && <div className="h5-news-summary">{c.summary}</div>}
        </div>
        <div className="h5-news-meta">
          {showKind && <span>{KIND_NAMES[c.kind]}</span>}
          {c.columnName && <span>《{c.columnName}》</span>}
          <span>{c.orgName.replace('新时代文明实践', '')}</span>
          <span>{day(c.publishedAt)}</span>
          <span>
            <EyeOutlined /> {c.readCount}
          </span>
        </div>
      </div>
      {c.coverUrl ? (
        <img className="h5-news-cover" src={c.coverUrl} alt="" loading="lazy" />
      ) : c.mediaType ? (
        <div className="h5-news-media" aria-hidden>
          {c.mediaType === 'video' ? <PlayCircleOutlined /> : <AudioOutlined />}
        </div>
      ) : null}
    </Link>
  );
}

/** A reading list: newest first (search: best match first), with 加载更多. */
export function H5ContentList({
  filter,
  empty = '暂无内容',
  limit = 20,
  more = true,
  showKind,
}: {
  filter: ContentFilter;
  empty?: string;
  limit?: number;
  more?: boolean;
  showKind?: boolean;
}) {
  const q = useContentList(filter, limit);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isPending) return <Skeleton active style={{ padding: 16, background: '#fff' }} />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!items.length) return <Empty className="h5-news-empty" description={empty} />;
  return (
    <div>
      {items.map((c) => (
        <H5ContentItem key={c.id} c={c} showKind={showKind} />
      ))}
      {more && q.hasNextPage && (
        <div className="h5-news-more">
          <Button size="large" block onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
            加载更多
          </Button>
        </div>
      )}
    </div>
  );
}
