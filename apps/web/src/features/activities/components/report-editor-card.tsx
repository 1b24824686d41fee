import { Alert, Button, Card, Input, InputNumber, Space, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { PhotoUpload } from '../../../components/photo-upload';
import { formatDateTime } from '../../../lib/format';
import type { ActivityDto } from '../api/activities-api';
import { useActivityReport } from '../hooks/use-activity-report';
import { ActivityPhotos } from './activity-photos';

/** 发布活动报道 (宣传展示): the summary (prefilled from the one given at 结束) and pictures, shown on the phone's 活动风采. */
export function ReportEditorCard({ a }: { a: ActivityDto }) {
  const r = useActivityReport(a);
  if (!a.report && !r.canWrite) return null;
  return (
    <Card
      title="活动报道"
      className="act-admin-card"
      data-testid="report-card"
      extra={
        a.report && r.canWrite && !r.editing ? (
          <Button icon={<EditOutlined />} onClick={() => r.setEditing(true)} data-testid="report-edit">
            修改报道
          </Button>
        ) : a.report ? (
          <Typography.Text type="secondary">发布于 {formatDateTime(a.report.publishedAt)}</Typography.Text>
        ) : null
      }
    >
      {r.editing ? (
        <div className="act-report-form">
          {!a.report && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
              写几句活动情况、配上现场照片发布，居民可以在手机上的“活动风采”里看到。{a.summary ? '已带入结束活动时填写的总结，可以修改。' : ''}
            </Typography.Paragraph>
          )}
          <Input.TextArea
            value={r.summary}
            onChange={(e) => r.setSummary(e.target.value)}
            maxLength={20000}
            showCount
            autoSize={{ minRows: 4, maxRows: 12 }}
            placeholder="如：本次活动共有 30 名志愿者参加，为 120 位老人测量血压……"
            data-testid="report-summary"
          />
          <div style={{ marginTop: 12 }}>
            <Typography.Text strong>服务人次</Typography.Text>{' '}
            <InputNumber
              min={0}
              max={1000000}
              precision={0}
              value={r.peopleServed}
              onChange={(v) => r.setPeopleServed(v)}
              placeholder="受益群众人次"
              aria-label="服务人次"
              data-testid="report-served"
            />
          </div>
          <div className="act-report-photos">
            <Typography.Text strong>现场照片</Typography.Text>
            <Typography.Text type="secondary">（最多 9 张，第一张作为封面）</Typography.Text>
            <div style={{ marginTop: 8 }} data-testid="report-photos-upload">
              <PhotoUpload value={r.photoIds} onChange={r.setPhotoIds} max={9} />
            </div>
          </div>
          {r.error && <Alert type="error" showIcon title={r.error} style={{ marginBottom: 12 }} />}
          <Space>
            {a.report && <Button onClick={r.cancel}>取消</Button>}
            <Button type="primary" onClick={() => void r.submit()} loading={r.publishing} data-testid="report-submit">
              {a.report ? '保存修改' : '发布活动报道'}
            </Button>
          </Space>
        </div>
      ) : a.report ? (
        <div data-testid="report-view">
          {(a.participants !== null || a.peopleServed !== null) && (
            <Typography.Paragraph type="secondary" data-testid="report-counts">
              {a.participants !== null ? `参与 ${a.participants} 人` : ''}
              {a.participants !== null && a.peopleServed !== null ? ' · ' : ''}
              {a.peopleServed !== null ? `服务 ${a.peopleServed} 人次` : ''}
            </Typography.Paragraph>
          )}
          <div className="act-pre act-report-text">{a.report.summary}</div>
          <ActivityPhotos ids={a.report.photoIds} alt={`${a.title} 现场照片`} variant="strip" />
        </div>
      ) : null}
    </Card>
  );
}
