import { useState } from 'react';
import { Alert, Button, Card, Col, Input, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { MeDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { staffHomeOrgOf } from '../../../lib/session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUtilization, type UtilizationRow, type UtilizationSite } from '../api/resources-api';
import { addDays, CATEGORY_NAMES, chinaDate, formatHours, mondayOf, percent } from './resource-format';
import './resources.css';

function Bar({ value }: { value: number | null }) {
  if (value === null) return <Typography.Text type="secondary">未设开放时间</Typography.Text>;
  const color = value >= 0.6 ? '#389e0d' : value >= 0.2 ? '#1677ff' : '#faad14';
  return <Progress percent={Math.round(value * 1000) / 10} strokeColor={color} size="small" format={(p) => `${p}%`} style={{ minWidth: 140, margin: 0 }} />;
}

/** 利用率: booked hours / open hours per site and per resource, over a chosen period. */
export function AdminUtilizationPage({ me }: { me: MeDto }) {
  useDocumentTitle('资源利用率');
  const today = chinaDate();
  const presets = [
    { key: '7', label: '近7天', from: addDays(today, -6), to: today },
    { key: '30', label: '近30天', from: addDays(today, -29), to: today },
    { key: 'week', label: '本周', from: mondayOf(today), to: addDays(mondayOf(today), 6) },
    { key: 'month', label: '本月', from: `${today.slice(0, 7)}-01`, to: today },
  ];
  const [range, setRange] = useState({ from: presets[1]!.from, to: presets[1]!.to });
  const [orgId, setOrgId] = useState<string | undefined>(() => staffHomeOrgOf(me));
  const q = useUtilization({ orgId, ...range });
  const u = q.data;
  const valid = range.from && range.to && range.from <= range.to;

  return (
    <div>
      <PageHeader
        title="资源利用率"
        description="利用率 = 已使用时长 ÷ 开放时长（物资按件计：借出件数×小时 ÷ 总件数×开放小时）。已通过、已签到、已完成的预约计入；未到场单列。"
      />
      <Card style={{ marginBottom: 16 }}>
        <div className="res-filters" style={{ marginBottom: 0 }}>
          <Space wrap size={12}>
            {presets.map((p) => (
              <Button
                key={p.key}
                type={range.from === p.from && range.to === p.to ? 'primary' : 'default'}
                onClick={() => setRange({ from: p.from, to: p.to })}
              >
                {p.label}
              </Button>
            ))}
            <Space.Compact>
              <Input
                type="date"
                value={range.from}
                max={range.to}
                onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))}
                aria-label="开始日期"
                style={{ width: 160 }}
              />
              <Input
                type="date"
                value={range.to}
                min={range.from}
                onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))}
                aria-label="结束日期"
                style={{ width: 160 }}
              />
            </Space.Compact>
          </Space>
          <OrgSearchSelect value={orgId} allowClear placeholder="全部阵地" style={{ width: 260 }} onChange={(id) => setOrgId(id)} />
        </div>
      </Card>
      {!valid ? (
        <Alert type="warning" showIcon title="请选择开始和结束日期（结束不早于开始）" />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            {[
              { title: '总体利用率', value: u ? percent(u.utilization) : '—' },
              { title: '已使用（小时）', value: u ? formatHours(u.bookedHours) : '—' },
              { title: '开放（小时）', value: u ? formatHours(u.capacityHours) : '—' },
              { title: '有效预约', value: u?.bookings ?? '—' },
              { title: '未到场', value: u?.noShows ?? '—' },
            ].map((s) => (
              <Col key={s.title} flex="1 1 180px">
                <Card loading={q.isPending}>
                  <Statistic title={s.title} value={s.value} />
                </Card>
              </Col>
            ))}
          </Row>
          {u?.truncated && <Alert type="warning" showIcon title="资源较多，只统计了前 2000 项，请选择阵地缩小范围。" style={{ marginBottom: 16 }} />}
          <Card title={`各阵地（${u?.sites.length ?? 0}）`} style={{ marginBottom: 16 }}>
            <Table<UtilizationSite>
              rowKey="orgId"
              size="middle"
              loading={q.isPending}
              dataSource={u?.sites ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: '这段时间没有可预约的资源' }}
              data-testid="utilization-sites"
              columns={[
                { title: '阵地', dataIndex: 'orgName' },
                { title: '资源数', dataIndex: 'resources', width: 90 },
                {
                  title: '已使用 / 开放（小时）',
                  key: 'h',
                  width: 200,
                  render: (_: unknown, s) => `${formatHours(s.bookedHours)} / ${formatHours(s.capacityHours)}`,
                },
                { title: '有效预约', dataIndex: 'bookings', width: 100 },
                { title: '未到场', dataIndex: 'noShows', width: 90, render: (n: number) => (n ? <Tag color="magenta">{n}</Tag> : 0) },
                { title: '利用率', dataIndex: 'utilization', width: 240, render: (v: number | null) => <Bar value={v} /> },
              ]}
            />
          </Card>
          <Card title={`各资源（${u?.resources.length ?? 0}）`}>
            <Table<UtilizationRow>
              rowKey="id"
              size="middle"
              loading={q.isPending}
              dataSource={u?.resources ?? []}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 1000 }}
              data-testid="utilization-resources"
              columns={[
                {
                  title: '资源',
                  dataIndex: 'name',
                  render: (n: string, r) => (
                    <span>
                      {n}
                      <div className="res-muted">{r.orgName}</div>
                    </span>
                  ),
                },
                { title: '类型', key: 'type', width: 150, render: (_: unknown, r) => `${CATEGORY_NAMES[r.category]} · ${r.typeName}` },
                {
                  title: '已使用 / 开放',
                  key: 'h',
                  width: 190,
                  sorter: (a, b) => a.bookedHours - b.bookedHours,
                  render: (_: unknown, r) =>
                    r.quantity !== null
                      ? `${formatHours(r.bookedHours)} / ${formatHours(r.capacityHours)} 件·时`
                      : `${formatHours(r.bookedHours)} / ${formatHours(r.capacityHours)} 小时`,
                },
                { title: '有效预约', dataIndex: 'bookings', width: 100, sorter: (a, b) => a.bookings - b.bookings },
                { title: '未到场', dataIndex: 'noShows', width: 90, render: (n: number) => (n ? <Tag color="magenta">{n}</Tag> : 0) },
                { title: '待审核', dataIndex: 'pending', width: 90, render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0) },
                {
                  title: '利用率',
                  dataIndex: 'utilization',
                  width: 230,
                  defaultSortOrder: 'descend',
                  sorter: (a, b) => (a.utilization ?? -1) - (b.utilization ?? -1),
                  render: (v: number | null) => <Bar value={v} />,
                },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
