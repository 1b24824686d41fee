import { useState } from 'react';
import { Alert, App, Button, Empty, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { JOIN_REQUEST_STATUS_NAMES, type JoinRequestDto, type JoinRequestStatus } from '@wenming/contracts';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDecideJoinRequest, useJoinRequestsToDecide } from '../api/organisations-api';

export const JOIN_STATUS_COLORS: Record<JoinRequestStatus, string> = { pending: 'gold', approved: 'green', refused: 'red', withdrawn: 'default' };

function RefuseModal({ request, onClose }: { request: JoinRequestDto | null; onClose: () => void }) {
  const { message } = App.useApp();
  const decide = useDecideJoinRequest();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={!!request}
      title={request ? `拒绝 ${request.volunteerName} 的申请` : ''}
      okText="拒绝"
      okButtonProps={{ danger: true, loading: decide.isPending, ...({ 'data-testid': 'refuse-submit' } as Record<string, string>) }}
      cancelText="取消"
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        if (!request) return;
        if (!reason.trim()) return setError('请填写拒绝理由，申请人会看到');
        try {
          await decide.mutateAsync({ id: request.id, approve: false, reason: reason.trim() });
          message.success('已拒绝');
          setReason('');
          onClose();
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
    >
      <Input.TextArea
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setError(null);
        }}
        maxLength={200}
        autoSize={{ minRows: 3 }}
        placeholder="如：本队暂不招新；请先参加一次活动再申请"
        aria-label="拒绝理由"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

/** Join requests the caller may decide (team leader, organisation admin, site admin), with 通过 / 拒绝. */
export function JoinRequestsTable({ organisationId }: { organisationId?: string }) {
  const { message } = App.useApp();
  const [status, setStatus] = useState<JoinRequestStatus>('pending');
  const q = useJoinRequestsToDecide({ status, organisationId });
  const decide = useDecideJoinRequest();
  const [refusing, setRefusing] = useState<JoinRequestDto | null>(null);
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        {(['pending', 'approved', 'refused'] as const).map((s) => (
          <Button key={s} size="small" type={status === s ? 'primary' : 'default'} onClick={() => setStatus(s)}>
            {JOIN_REQUEST_STATUS_NAMES[s]}
          </Button>
        ))}
      </Space>
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<JoinRequestDto>
          rowKey="id"
          size="small"
          loading={q.isPending}
          dataSource={q.data?.items ?? []}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={status === 'pending' ? '没有待审核的申请' : '暂无记录'} /> }}
          columns={[
            { title: '申请人', dataIndex: 'volunteerName', width: 100 },
            {
              title: '申请加入',
              key: 'target',
              render: (_: unknown, r) => (
                <Space size={4}>
                  <Tag>{r.kind === 'team' ? '队伍' : '组织'}</Tag>
                  {r.targetName}
                </Space>
              ),
            },
            {
              title: '留言',
              dataIndex: 'message',
              render: (m: string | null, r) =>
                r.status === 'refused' ? (
                  <Typography.Text type="danger">理由：{r.reason}</Typography.Text>
                ) : (
                  (m ?? <Typography.Text type="secondary">—</Typography.Text>)
                ),
            },
            { title: '申请时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
            {
              title: '状态',
              dataIndex: 'status',
              width: 80,
              render: (s: JoinRequestStatus) => <Tag color={JOIN_STATUS_COLORS[s]}>{JOIN_REQUEST_STATUS_NAMES[s]}</Tag>,
            },
            {
              title: '',
              key: 'op',
              width: 130,
              render: (_: unknown, r) =>
                r.allowedActions.includes('approve') && (
                  <Space size={4}>
                    <Button
                      size="small"
                      type="primary"
                      loading={decide.isPending && decide.variables?.id === r.id}
                      data-testid="approve-request"
                      onClick={async () => {
                        try {
                          await decide.mutateAsync({ id: r.id, approve: true });
                          message.success(`已通过，${r.volunteerName} 已加入「${r.targetName}」`);
                        } catch (e) {
                          message.error(errorMessage(e));
                        }
                      }}
                    >
                      通过
                    </Button>
                    <Button size="small" danger onClick={() => setRefusing(r)}>
                      拒绝
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      )}
      <RefuseModal request={refusing} onClose={() => setRefusing(null)} />
    </>
  );
}
