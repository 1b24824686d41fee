import { Empty, Skeleton, Tag } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useParams } from 'react-router-dom';
import { QueryError } from '../../../components/query-error';
import { isApiError } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { KIND_NAMES, useContent } from '../api/content-api';
import './content.css';

/** One article, lecture or reading, large type; the body HTML is the server's allow-listed HTML. */
export function H5NewsDetailPage() {
  const { id } = useParams();
  const q = useContent(id);
  useDocumentTitle(q.data?.title ?? KIND_NAMES.news);
  if (q.isPending) return <Skeleton active style={{ padding: 16, background: '#fff' }} />;
  if (q.isError)
    return isApiError(q.error) && q.error.status === 404 ? (
      <Empty style={{ padding: 48 }} description="内容不存在或已下线" />
    ) : (
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
    );
  const c = q.data;
  return (
    <article className="h5-article" data-testid="article">
      <h1 className="h5-article-title">{c.title}</h1>
      <div className="h5-article-meta">
        <Tag color="red">{KIND_NAMES[c.kind]}</Tag>
        {c.columnName && <span>《{c.columnName}》</span>}
        {c.speaker && <span>主讲：{c.speaker}</span>}
        <span>{c.orgName}</span>
        {c.publishedAt && <span>{formatDateTime(c.publishedAt)}</span>}
        <span>
          <EyeOutlined /> {c.readCount}
        </span>
      </div>
      {c.mediaUrl && c.mediaType === 'video' && (
        <video className="h5-article-media" src={c.mediaUrl} controls playsInline preload="metadata" poster={c.coverUrl ?? undefined} />
      )}
      {c.mediaUrl && c.mediaType === 'audio' && <audio style={{ width: '100%', marginBottom: 14 }} src={c.mediaUrl} controls preload="metadata" />}
      {c.coverUrl && !c.mediaUrl && <img className="h5-article-cover" src={c.coverUrl} alt="" />}
      {c.summary && <p style={{ color: '#666', fontSize: 16 }}>{c.summary}</p>}
      {/* Sanitised by the server against an allow-list (modules/content/sanitize.ts). */}
      <div className="article-body" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
      <div className="h5-article-foot">本文由 {c.orgName} 发布</div>
    </article>
  );
}
