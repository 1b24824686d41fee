import { useMemo, useState } from 'react';
import { Button, Card, Col, DatePicker, Empty, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, FundProjectionScreenOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { StatsDistrictRow } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import './echarts-parts';
import { QueryError } from '../../../components/query-error';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { statsExportUrl, useStatsCategories, useStatsDistricts, useStatsOverview, useStatsTop, useStatsTrend } from '../api/stats-api';
import { EChart } from '../../../components/echart';
import { fmtHours, fmtInt, fmtPct } from './stats-format';

type Preset = 'month' | 'quarter' | 'year' | 'all' | 'custom';
const today = () => dayjs();
function rangeOf(p: Preset): [Dayjs, Dayjs] | null {
  if (p === 'month') return [today().startOf('month'), today()];
  if (p === 'quarter') return [today().subtract(2, 'month').startOf('month'), today()];
  if (p === 'year') return [today().startOf('year'), today()];
  return null;
}

/**
 * 统计分析 (/admin/stats): the big screen's figures as charts and tables for staff — filter by
 * period and by a site of the caller's subtree, export to Excel, open the big screen.
 */
export function AdminStatsPage() {
  useDocumentTitle('统计分析');
  const [orgId, setOrgId] = useState<string | undefined>();
  const [preset, setPreset] = useState<Preset>('year');
  const [custom, setCustom] = useState<[Dayjs, Dayjs] | null>(null);
  const range = preset === 'custom' ? custom : rangeOf(preset);
  const filter = { orgId, from: range?.[0].format('YYYY-MM-DD'), to: range?.[1].format('YYYY-MM-DD') };

  const overview = useStatsOverview(orgId);
  const trend = useStatsTrend(orgId, 12);
  const cats = useStatsCategories(filter);
  const top = useStatsTop(filter);
  const districts = useStatsDistricts(filter);
  const refetchAll = () => {
    for (const q of [overview, trend, cats, top, districts]) void q.refetch();
  };

  const o = overview.data;
  const trendOption = useMemo(() => {
    const d = trend.data;
    if (!d) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 56, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: d.months, boundaryGap: false },
      yAxis: [
        { type: 'value', name: '数量' },
        { type: 'value', name: '小时', splitLine: { show: false } },
      ],
      series: [
        { name: '新增工单', type: 'line', smooth: true, data: d.series.orders },
        { name: '办结工单', type: 'line', smooth: true, data: d.series.solved },
        { name: '活动', type: 'line', smooth: true, data: d.series.activities },
        { name: '新增志愿者', type: 'line', smooth: true, data: d.series.newVolunteers },
        { name: '服务人次', type: 'line', smooth: true, data: d.series.peopleServed },
        { name: '服务时长', type: 'bar', yAxisIndex: 1, data: d.series.serviceHours, itemStyle: { opacity: 0.45 } },
      ],
    };
  }, [trend.data]);
  const catOption = useMemo(() => {
    const items = cats.data?.items;
    if (!items) return null;
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 96, right: 24, top: 36, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: items.map((i) => i.name) },
      series: [
        { name: '需求：工单', type: 'bar', data: items.map((i) => i.orders), itemStyle: { color: '#e4572e' } },
        { name: '活动', type: 'bar', data: items.map((i) => i.activities), itemStyle: { color: '#f3a712' } },
        { name: '供给：队伍', type: 'bar', data: items.map((i) => i.teams), itemStyle: { color: '#1677ff' } },
        { name: '供给：志愿者', type: 'bar', data: items.map((i) => i.volunteers), itemStyle: { color: '#29bf12' } },
      ],
    };
  }, [cats.data]);

  const districtCols = [
    {
      title: '阵地',
      dataIndex: 'name',
      key: 'name',
      render: (v: string, r: StatsDistrictRow) =>
        r.self ? <Typography.Text type="secondary">{v}</Typography.Text> : <a onClick={() => setOrgId(r.orgId)}>{v}</a>,
    },
    {
      title: '站点',
      dataIndex: 'sites',
      key: 'sites',
      align: 'right' as const,
      render: fmtInt,
      sorter: (a: StatsDistrictRow, b: StatsDistrictRow) => a.sites - b.sites,
    },
    {
      title: '队伍',
      dataIndex: 'teams',
      key: 'teams',
      align: 'right' as const,
      render: fmtInt,
      sorter: (a: StatsDistrictRow, b: StatsDistrictRow) => a.teams - b.teams,
    },
    {
      title: '志愿者',
      dataIndex: 'volunteers',
      key: 'volunteers',
      align: 'right' as const,
      render: fmtInt,
      sorter: (a: StatsDistrictRow, b: StatsDistrictRow) => a.volunteers - b.volunteers,
    },
    {
      title: '活动',
      dataIndex: 'activities',
      key: 'activities',
      align: 'right' as const,
      render: fmtInt,
      sorter: (a: StatsDistrictRow, b: StatsDistrictRow) => a.activities - b.activities,
    },
    {
      title: '工单',
      dataIndex: 'orders',
      key: 'orders',
      align: 'right' as const,
      render: fmtInt,
      sorter: (a: StatsDistrictRow, b: StatsDistrictRow) => a.orders - b.orders,
    },
    {
      title: '服务时长(h)',
      dataIndex: 'serviceHours',
      key: 'serviceHours',
      align: 'right' as const,
      render: fmtHours,
      sorter: (a: StatsDistrictRow, b: StatsDistrictRow) => a.serviceHours - b.serviceHours,
    },
    {
      title: '服务人次',
      dataIndex: 'peopleServed',
      key: 'peopleServed',
      align: 'right' as const,
      render: fmtInt,
      sorter: (a: StatsDistrictRow, b: StatsDistrictRow) => a.peopleServed - b.peopleServed,
    },
    {
      title: '挂牌',
      key: 'plaqued',
      align: 'right' as const,
      render: (_: unknown, r: StatsDistrictRow) => (r.self ? '—' : `${fmtInt(r.plaqued)}/${fmtInt(r.sites)}`),
    },
    {
      title: '响应率',
      dataIndex: 'responseRate',
      key: 'responseRate',
      align: 'right' as const,
      render: fmtPct,
      sorter: (a: StatsDistrictRow, b: StatsDistrictRow) => a.responseRate - b.responseRate,
    },
    { title: '办结率', dataIndex: 'resolutionRate', key: 'resolutionRate', align: 'right' as const, render: fmtPct },
    { title: '满意率', dataIndex: 'satisfactionRate', key: 'satisfactionRate', align: 'right' as const, render: fmtPct },
    {
      title: '平均接单',
      dataIndex: 'avgAcceptMinutes',
      key: 'avgAcceptMinutes',
      align: 'right' as const,
      render: (v: number | null) => (v == null ? '—' : `${v} 分钟`),
    },
  ];

  return (
    <div>
      <PageHeader
        title="统计分析"
        description="阵地、志愿者、活动、工单三率与供需对接；期间筛选作用于工单、活动、时长与排行，阵地与志愿者为当前在册数。"
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={refetchAll}>
              刷新
            </Button>
            <Button icon={<DownloadOutlined />} href={statsExportUrl(filter)}>
              导出 Excel
            </Button>
            <Button type="primary" icon={<FundProjectionScreenOutlined />} href={orgId ? `/screen/dashboard/${orgId}` : '/screen/dashboard'} target="_blank">
              打开指挥大屏
            </Button>
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size="middle">
          <span>统计范围</span>
          <OrgSearchSelect value={orgId} onChange={(id) => setOrgId(id)} allowClear placeholder="全部管辖范围（可搜索阵地）" style={{ width: 320 }} />
          <span>期间</span>
          <Segmented<Preset>
            value={preset}
            onChange={setPreset}
            options={[
              { label: '本月', value: 'month' },
              { label: '近三个月', value: 'quarter' },
              { label: '本年', value: 'year' },
              { label: '全部', value: 'all' },
              { label: '自定义', value: 'custom' },
            ]}
          />
          {preset === 'custom' && (
            <DatePicker.RangePicker
              value={custom}
              onChange={(v) => setCustom(v && v[0] && v[1] ? [v[0], v[1]] : null)}
              disabledDate={(d) => d.isAfter(today(), 'day')}
              allowClear={false}
            />
          )}
          {range && (
            <Tag color="blue">
              {range[0].format('YYYY-MM-DD')} 至 {range[1].format('YYYY-MM-DD')}
            </Tag>
          )}
        </Space>
      </Card>

      {overview.isError && <QueryError error={overview.error} onRetry={() => void overview.refetch()} />}
      <Row gutter={[16, 16]}>
        {[
          { t: '阵地布局 1+N', v: o?.layout },
          { t: '挂牌率', v: o && fmtPct(o.plaque.rate), s: o ? `（${fmtInt(o.plaque.plaqued)}/${fmtInt(o.plaque.sites)}）` : '' },
          { t: '试点 国/省/市级', v: o ? `${fmtInt(o.pilots.national)} / ${fmtInt(o.pilots.provincial)} / ${fmtInt(o.pilots.city)}` : undefined },
          { t: '注册志愿者', v: o && fmtInt(o.volunteers), s: '人' },
          { t: '志愿队伍', v: o && fmtInt(o.teams), s: '支' },
          { t: '活动（累计）', v: o && fmtInt(o.activities), s: '场' },
          { t: '服务时长（累计）', v: o && fmtHours(o.serviceHours), s: '小时' },
          { t: '服务人次（累计）', v: o && fmtInt(o.peopleServed.total), s: '人次' },
          { t: '工单（累计）', v: o && fmtInt(o.orders.total), s: '单' },
          { t: '响应率', v: o && fmtPct(o.orders.responseRate) },
          { t: '办结率', v: o && fmtPct(o.orders.resolutionRate) },
          { t: '满意率', v: o && fmtPct(o.orders.satisfactionRate) },
          {
            t: '平均接单用时',
            v: o ? (o.orders.avgAcceptMinutes == null ? '—' : `${o.orders.avgAcceptMinutes}`) : undefined,
            s: o?.orders.avgAcceptMinutes == null ? '' : '分钟',
          },
          { t: '场馆预约', v: o && fmtInt(o.bookings.total), s: '次' },
          { t: '场馆利用率（近30天）', v: o && fmtPct(o.bookings.utilization) },
        ].map((c) => (
          <Col key={c.t} xs={12} md={8} xl={4}>
            <Card size="small" loading={overview.isPending}>
              <Statistic title={c.t} value={c.v ?? '—'} suffix={c.s} />
            </Card>
          </Col>
        ))}
        <Col xs={24} xl={14}>
          <Card title="月度趋势（近12个月）" size="small">
            <div style={{ height: 320 }}>{trendOption ? <EChart option={trendOption} ariaLabel="月度趋势" /> : <Empty />}</div>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title="供需对接（期间需求 · 当前供给）" size="small">
            <div style={{ height: 320 }}>{catOption ? <EChart option={catOption} ariaLabel="供需对接" /> : <Empty />}</div>
          </Card>
        </Col>
        <Col span={24}>
          <Card
            title={districts.data?.parent ? `下级阵地对比 · ${districts.data.parent.name}` : '下级阵地对比'}
            size="small"
            extra={<Typography.Text type="secondary">点击名称可下钻</Typography.Text>}
          >
            <Table<StatsDistrictRow>
              rowKey="orgId"
              size="small"
              loading={districts.isPending}
              dataSource={districts.data?.items ?? []}
              columns={districtCols}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 1000 }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="队伍排行（期间认证时长）" size="small">
            <Table
              rowKey="id"
              size="small"
              loading={top.isPending}
              dataSource={top.data?.teams ?? []}
              pagination={false}
              columns={[
                { title: '#', key: 'rank', width: 48, render: (_: unknown, __: unknown, i: number) => i + 1 },
                { title: '队伍', dataIndex: 'name', key: 'name' },
                { title: '所属阵地', dataIndex: 'orgName', key: 'orgName' },
                { title: '队员', dataIndex: 'members', key: 'members', align: 'right' as const },
                { title: '时长(h)', dataIndex: 'hours', key: 'hours', align: 'right' as const, render: fmtHours },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="志愿者排行（累计认证时长）" size="small">
            <Table
              rowKey="id"
              size="small"
              loading={top.isPending}
              dataSource={top.data?.volunteers ?? []}
              pagination={false}
              columns={[
                { title: '#', key: 'rank', width: 48, render: (_: unknown, __: unknown, i: number) => i + 1 },
                { title: '志愿者', dataIndex: 'name', key: 'name' },
                { title: '所属阵地', dataIndex: 'orgName', key: 'orgName' },
                { title: '时长(h)', dataIndex: 'hours', key: 'hours', align: 'right' as const, render: fmtHours },
              ]}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title="服务类别明细" size="small">
            <Table
              rowKey="code"
              size="small"
              loading={cats.isPending}
              dataSource={cats.data?.items ?? []}
              pagination={false}
              columns={[
                { title: '类别', dataIndex: 'name', key: 'name' },
                { title: '需求：工单（期间）', dataIndex: 'orders', key: 'orders', align: 'right' as const },
                { title: '活动（期间）', dataIndex: 'activities', key: 'activities', align: 'right' as const },
                { title: '供给：队伍', dataIndex: 'teams', key: 'teams', align: 'right' as const },
                { title: '供给：志愿者（技能）', dataIndex: 'volunteers', key: 'volunteers', align: 'right' as const },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
