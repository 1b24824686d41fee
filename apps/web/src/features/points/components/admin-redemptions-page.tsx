import { useState } from 'react';
import { Button, Card, Input, Select, Space, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { REDEMPTION_STATUS_NAMES, type RedemptionDto, type RedemptionStatus } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useXlsxDownload } from '../../../lib/download';
import { useRedemptions, type RedemptionFilters } from '../api/points-api';
import { spacedCode } from './pickup-qr';
import { RedemptionStatusTag } from './points-format';
import './points.css';

/** 兑换记录: the redemptions of my sites, filtered, exported to Excel. */
export function AdminRedemptionsPage() {
  useDocumentTitle('兑换记录');
  const [f, setF] = useState<RedemptionFilters>({});
  const q = useRedemptions(f);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const xlsx = useXlsxDownload();
  return (
    <div>
      <PageHeader
        title="兑换记录"
        description="本辖区爱心超市的全部兑换：谁在何时兑换了什么、是否已领取。"
        extra={
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void xlsx.download('/rewards/redemptions.xlsx', { ...f }, '兑换记录.xlsx')}
            loading={xlsx.busy}
            data-testid="redemptions-export"
          >
            导出 Excel
          </Button>
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <OrgSearchSelect value={f.orgId} onChange={(orgId) => setF((x) => ({ ...x, orgId }))} allowClear placeholder="全部阵地" style={{ width: 300 }} />
          <Select<RedemptionStatus | 'all'>
            value={f.status ?? 'all'}
            onChange={(v) => setF((x) => ({ ...x, status: v === 'all' ? undefined : v }))}
            style={{ width: 130 }}
            options={[
              { value: 'all', label: '全部状态' },
              ...Object.entries(REDEMPTION_STATUS_NAMES).map(([value, label]) => ({ value: value as RedemptionStatus, label })),
            ]}
          />
          <Space.Compact>
            <Input
              type="date"
              aria-label="开始日期"
              value={f.from ?? ''}
              onChange={(e) => setF((x) => ({ ...x, from: e.target.value || undefined }))}
              style={{ width: 160 }}
            />
            <Input
              type="date"
              aria-label="结束日期"
              value={f.to ?? ''}
              onChange={(e) => setF((x) => ({ ...x, to: e.target.value || undefined }))}
              style={{ width: 160 }}
            />
          </Space.Compact>
        </Space>
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <>
            <Table<RedemptionDto>
              rowKey="id"
              loading={q.isPending}
              dataSource={items}
              pagination={false}
              scroll={{ x: 1100 }}
              locale={{ emptyText: '没有兑换记录' }}
              data-testid="redemptions-table"
              columns={[
                { title: '兑换时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
                { title: '奖品', key: 'reward', width: 200, render: (_: unknown, d) => `${d.rewardName} × ${d.quantity}` },
                { title: '积分', dataIndex: 'points', width: 80, align: 'right' },
                { title: '兑换人', key: 'user', width: 170, render: (_: unknown, d) => `${d.userName ?? '—'} ${d.userPhone ?? ''}` },
                { title: '取货码', dataIndex: 'pickupCode', width: 110, render: (c: string) => spacedCode(c) },
                { title: '状态', dataIndex: 'status', width: 90, render: (s: RedemptionStatus) => <RedemptionStatusTag status={s} /> },
                { title: '领取时间', dataIndex: 'fulfilledAt', width: 150, render: (v: string | null) => (v ? formatDateTime(v) : '—') },
                { title: '取货地点', dataIndex: 'pickupOrgName', ellipsis: true },
              ]}
            />
            {q.hasNextPage && (
              <Button block type="text" style={{ marginTop: 12 }} onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
                加载更多
              </Button>
            )}
          </>
        )}
      </Card>
    </div>
  );
}
