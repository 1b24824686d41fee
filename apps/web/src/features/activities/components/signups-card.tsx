import { Alert, Button, Card, Checkbox, Empty, Space, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { QueryError } from '../../../components/query-error';
import { isApiError } from '../../../lib/api-client';
import type { ActivityDto, SignupDto } from '../api/activities-api';
import { useSignupsTable } from '../hooks/use-signups-table';
import { AttendanceModal } from './attendance-modal';
import { signupColumns } from './signup-columns';

/** 报名与出勤: the counts, the table of sign-ups with their attendance, the Excel export and 补录出勤. */
export function SignupsCard({ a }: { a: ActivityDto }) {
  const t = useSignupsTable(a);
  const { q, counts } = t;
  return (
    <Card
      title="报名与出勤"
      className="act-admin-card"
      extra={
        <Space>
          {counts.withdrawn > 0 && (
            <Checkbox checked={t.showWithdrawn} onChange={(e) => t.setShowWithdrawn(e.target.checked)}>
              显示已取消报名（{counts.withdrawn}）
            </Checkbox>
          )}
          <Button icon={<DownloadOutlined />} disabled={t.empty} loading={t.exporting} onClick={t.exportList} data-testid="export-signups">
            导出名单（Excel）
          </Button>
        </Space>
      }
    >
      {q.isError ? (
        isApiError(q.error) && q.error.status === 403 ? (
          <Alert type="info" showIcon title="只有活动的组织者可以查看报名名单。" />
        ) : (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        )
      ) : (
        <>
          <div className="act-admin-counts" data-testid="signup-counts">
            <span>
              已报名 <b>{counts.registered}</b>
            </span>
            <span>
              候补 <b>{counts.waitlisted}</b>
            </span>
            <span>
              已签到 <b>{counts.checkedIn}</b>
            </span>
          </div>
          <Table<SignupDto>
            rowKey="id"
            loading={q.isPending}
            dataSource={t.rows}
            pagination={t.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 1000 }}
            size="middle"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={a.state === 'draft' ? '活动发布后开始接受报名' : '还没有人报名'} /> }}
            data-testid="signup-table"
            columns={signupColumns(a, t.canMark, t.setEditing)}
          />
        </>
      )}
      {t.editing && <AttendanceModal a={a} signup={t.editing} onClose={() => t.setEditing(null)} />}
    </Card>
  );
}
