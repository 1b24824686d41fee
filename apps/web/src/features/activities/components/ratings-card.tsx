import { Card, Empty, List, Rate, Space, Typography } from 'antd';
import { QueryError } from '../../../components/query-error';
import { formatDateTime } from '../../../lib/format';
import { useActivityRatings, type ActivityDto } from '../api/activities-api';

/** 活动评价: the average, the count and each (masked) rating. */
export function RatingsCard({ a }: { a: ActivityDto }) {
  const q = useActivityRatings(a.id);
  const items = q.data ?? [];
  return (
    <Card
      title="活动评价"
      className="act-admin-card"
      data-testid="ratings-card"
      extra={
        a.rating.count ? (
          <Space size={8} data-testid="rating-average">
            <Rate disabled allowHalf value={a.rating.average ?? 0} style={{ fontSize: 16 }} />
            <Typography.Text strong style={{ fontSize: 18 }}>
              {a.rating.average?.toFixed(1)}
            </Typography.Text>
            <Typography.Text type="secondary">{a.rating.count} 人评价</Typography.Text>
          </Space>
        ) : null
      }
    >
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <List
          loading={q.isPending}
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有人评价。签到参加过的志愿者和群众可在手机上评价。" /> }}
          pagination={items.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
          renderItem={(r) => (
            <List.Item data-testid="rating-item">
              <div className="act-rating-row">
                <Space size={12}>
                  <Typography.Text strong>{r.name}</Typography.Text>
                  <Rate disabled value={r.score} style={{ fontSize: 14 }} />
                  <Typography.Text type="secondary">{formatDateTime(r.at)}</Typography.Text>
                </Space>
                {r.comment && <div className="act-pre act-rating-comment">{r.comment}</div>}
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
