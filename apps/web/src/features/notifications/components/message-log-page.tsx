import { useState } from 'react';
import { Card, Segmented, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { NOTICE_KINDS, type TOutboxItem } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { api } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';

const STATUS: Record<TOutboxItem['status'], { label: string; color: string }> = {
  pending: { label: '待发送', color: 'blue' },
  sent: { label: '已发送', color: 'green' },
  skipped: { label: '未发送', color: 'default' },
  dead: { label: '已放弃', color: 'red' },
};
const CHANNEL = { sms: '短信', wechat: '微信' } as const;
const KIND = Object.fromEntries(NOTICE_KINDS.map((k) => [k.kind, k.label])) as Record<string, string>;
/** Why a message was not sent, or the last failure, in words; the provider's own code stays beside it. */
const REASONS: Record<string, string> = {
  NO_TEMPLATE: '该类通知未配置模板',
  NOT_CONFIGURED: '未开通该渠道',
  OPTED_OUT: '本人已关闭',
  NOT_BOUND: '未绑定微信',
  NOT_SUBSCRIBED: '未关注公众号',
  INVALID_OPENID: '微信账号无效',
  NO_ACCOUNT: '账号已注销',
  NETWORK: '连不上服务商',
  LOG_ONLY: '未配置服务商，仅记录在日志',
};

/** 消息记录: what went out by SMS / WeChat, what waits for a retry and what was given up (docs/channels.md "Delivery"). */
export function MessageLogPage() {
  useDocumentTitle('消息记录');
  const [status, setStatus] = useState<TOutboxItem['status'] | 'all'>('all');
  const list = useQuery({
    queryKey: ['message-outbox', status],
    queryFn: () => api<{ items: TOutboxItem[] }>('/message-outbox', { query: { status: status === 'all' ? undefined : status, limit: 200 } }),
    refetchInterval: 30_000,
  });
  return (
    <div>
      <PageHeader
        title="消息记录"
        description="发给个人的短信、微信通知：发送失败会自动重试（间隔逐次加长），多次失败后放弃。手机号已脱敏。阵地管理员看到本市的记录。"
      />
      <Card>
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={[
            { value: 'all', label: '全部' },
            { value: 'pending', label: '待发送' },
            { value: 'sent', label: '已发送' },
            { value: 'skipped', label: '未发送' },
            { value: 'dead', label: '已放弃' },
          ]}
          data-testid="message-log-status"
          style={{ marginBottom: 16 }}
        />
        {list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<TOutboxItem>
            rowKey="id"
            size="middle"
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 900 }}
            data-testid="message-log"
            columns={[
              { title: '时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
              { title: '渠道', dataIndex: 'channel', width: 70, render: (v: TOutboxItem['channel']) => CHANNEL[v] },
              { title: '接收人', dataIndex: 'recipient', width: 130 },
              { title: '通知', dataIndex: 'kind', width: 170, render: (v: string) => KIND[v] ?? v },
              { title: '内容', dataIndex: 'title', ellipsis: true },
              {
                title: '状态',
                dataIndex: 'status',
                width: 200,
                render: (_: unknown, r) => (
                  <span>
                    <Tag color={STATUS[r.status].color}>{STATUS[r.status].label}</Tag>
                    {r.attempts > 1 && <Typography.Text type="secondary">第{r.attempts}次 </Typography.Text>}
                    {r.lastError && (
                      <Typography.Text type={r.status === 'skipped' ? 'secondary' : 'danger'}>{REASONS[r.lastError] ?? r.lastError}</Typography.Text>
                    )}
                  </span>
                ),
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
