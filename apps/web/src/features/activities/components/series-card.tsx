import { Button, Card, List, Popconfirm, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { QueryError } from '../../../components/query-error';
import type { ActivityDto } from '../api/activities-api';
import { useSeriesPublish } from '../hooks/use-series-publish';
import { formatTimeRange, weeklyLabel } from './activity-format';
import { ActivityStateTag } from './activity-tags';

/** 每周系列: every occurrence (each a link) and 发布整个系列 while drafts remain. */
export function SeriesCard({ a }: { a: ActivityDto }) {
  const { q, items, canPublish, drafts, run, publishing } = useSeriesPublish(a);
  return (
    <Card
      title={
        <Space size={8}>
          每周系列活动
          {items.length > 0 && <Typography.Text type="secondary">{weeklyLabel(items)}</Typography.Text>}
        </Space>
      }
      className="act-admin-card"
      extra={
        canPublish ? (
          <Popconfirm
            title="发布整个系列？"
            description={`${drafts} 次草稿将一起发布，居民和志愿者即可分别报名每一次。`}
            okText="全部发布"
            cancelText="取消"
            onConfirm={() => void run()}
          >
            <Button type="primary" loading={publishing} data-testid="series-publish">
              发布整个系列
            </Button>
          </Popconfirm>
        ) : null
      }
      data-testid="series-card"
    >
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <List
          loading={q.isPending}
          size="small"
          dataSource={items}
          className="act-series-list"
          renderItem={(o, k) => (
            <List.Item className={o.id === a.id ? 'act-series-current' : undefined} data-testid="series-item" data-id={o.id}>
              <Space size={12} wrap>
                <Typography.Text type="secondary" className="act-series-no">
                  第 {k + 1} 次
                </Typography.Text>
                {o.id === a.id ? (
                  <Typography.Text strong>{formatTimeRange(o.startsAt, o.endsAt)}（本次）</Typography.Text>
                ) : (
                  <Link to={`/admin/activities/${o.id}`}>{formatTimeRange(o.startsAt, o.endsAt)}</Link>
                )}
                <ActivityStateTag activity={o} organiser />
                {o.state !== 'draft' && <Typography.Text type="secondary">报名 {o.volunteerRegistered + o.publicRegistered} 人</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
