import { useMemo, useState } from 'react';
import { Button, Card, Col, Input, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { MeDto, PointsReportDto, PointsReportRow } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useXlsxDownload } from '../../../lib/download';
import { usePointsReport } from '../api/points-api';
import { firstScopeOrg } from './admin-rules-page';
import { PointsChart } from './points-chart';
import './points.css';

const monthOf = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(d).slice(0, 7);
function addMonths(month: string, n: number) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + m - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** Per month over the whole subtree, for the chart. */
function byMonth(r: PointsReportDto) {
  const months: string[] = [];
  for (let m = r.from; m <= r.to; m = addMonths(m, 1)) months.push(m);
  const sum = (m: string, k: 'issued' | 'redeemed') => r.rows.filter((x) => x.month === m).reduce((s, x) => s + x[k], 0);
  return { months, issued: months.map((m) => sum(m, 'issued')), redeemed: months.map((m) => sum(m, 'redeemed')) };
}

/** 积分月报: points issued vs. redeemed per site per month, and the stock; exportable. */
export function AdminReportPage({ me }: { me: MeDto }) {
  useDocumentTitle('积分月报');
  const now = monthOf(new Date());
  const [orgId, setOrgId] = useState<string | undefined>(() => firstScopeOrg(me));
  const [from, setFrom] = useState(addMonths(now, -5));
  const [to, setTo] = useState(now);
  const q = usePointsReport(orgId, from, to);
  const series = useMemo(() => (q.data ? byMonth(q.data) : null), [q.data]);
  const xlsx = useXlsxDownload();
  return (
    <div>
      <PageHeader
        title="积分月报"
        description="各阵地每月发放与兑换的积分、兑换次数，以及爱心超市的库存。"
        extra={
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void xlsx.download('/points/report.xlsx', { orgId, from, to }, '积分月报.xlsx')}
            loading={xlsx.busy}
            data-testid="report-export"
          >
            导出 Excel
          </Button>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <OrgSearchSelect value={orgId} onChange={(id) => setOrgId(id)} allowClear placeholder="全部" style={{ width: 320 }} />
          <Space.Compact>
            <Input
              type="month"
              aria-label="起始月份"
              value={from}
              max={to}
              onChange={(e) => e.target.value && setFrom(e.target.value)}
              style={{ width: 150 }}
            />
            <Input type="month" aria-label="结束月份" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} style={{ width: 150 }} />
          </Space.Compact>
        </Space>
      </Card>
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            {(
              [
                ['发放积分', q.data?.totals.issued, '#389e0d'],
                ['兑换积分', q.data?.totals.redeemed, '#d4380d'],
                ['兑换次数', q.data?.totals.redemptions, undefined],
                ['扣减积分', q.data?.totals.deducted, '#8c8c8c'],
              ] as const
            ).map(([title, value, color]) => (
              <Col xs={12} md={6} key={title}>
                <Card loading={q.isPending}>
                  <Statistic title={title} value={value ?? 0} styles={{ content: color ? { color } : undefined }} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card title={`${q.data?.orgName ?? ''} 每月发放与兑换`} style={{ marginBottom: 16 }} loading={q.isPending}>
            {series && <PointsChart months={series.months} issued={series.issued} redeemed={series.redeemed} />}
          </Card>
          <Card title="分阵地明细" style={{ marginBottom: 16 }}>
            <Table<PointsReportRow>
              rowKey={(r) => `${r.orgId}-${r.month}`}
              loading={q.isPending}
              dataSource={q.data?.rows ?? []}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: '这段时间没有积分发放或兑换' }}
              data-testid="report-table"
              columns={[
                { title: '月份', dataIndex: 'month', width: 100 },
                { title: '阵地', dataIndex: 'orgName', render: (n: string, r) => <a onClick={() => setOrgId(r.orgId)}>{n}</a> },
                { title: '发放积分', dataIndex: 'issued', width: 110, align: 'right' },
                { title: '兑换积分', dataIndex: 'redeemed', width: 110, align: 'right' },
                { title: '兑换次数', dataIndex: 'redemptions', width: 100, align: 'right' },
                { title: '扣减积分', dataIndex: 'deducted', width: 100, align: 'right' },
              ]}
            />
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
              点阵地名称可查看其下级阵地的明细。发放含服务时长、活动、五星好评、结对走访和审批通过的调增；扣减含撤销和调减。
            </Typography.Paragraph>
          </Card>
          <Card title="奖品库存">
            <Table
              rowKey="rewardId"
              loading={q.isPending}
              dataSource={q.data?.stock ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: '还没有奖品' }}
              columns={[
                { title: '奖品', dataIndex: 'name' },
                { title: '所在阵地', dataIndex: 'orgName', ellipsis: true },
                { title: '所需积分', dataIndex: 'cost', width: 100, align: 'right' },
                {
                  title: '当前库存',
                  dataIndex: 'stock',
                  width: 100,
                  align: 'right',
                  render: (s: number) => (s === 0 ? <Typography.Text type="danger">0</Typography.Text> : s),
                },
                { title: '期间兑出', dataIndex: 'redeemedInPeriod', width: 100, align: 'right' },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 90,
                  render: (s: string) => (s === 'active' ? <Tag color="success">在售</Tag> : <Tag>已下架</Tag>),
                },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
