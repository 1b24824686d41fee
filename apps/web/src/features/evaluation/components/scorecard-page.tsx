import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { EVALUATION_MIN_SAMPLE } from '@wenming/domain';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Progress, Row, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, BulbOutlined, WarningOutlined } from '@ant-design/icons';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { METRIC_INFO, ORG_LEVEL_NAMES, type IndicatorResultDto, type ScorecardDto } from '@wenming/contracts';
import { OrgLevelTag } from '../../../components/org-level-tag';
import { PageHeader } from '../../../components/page-header';
import { PageLoading } from '../../../components/page-loading';
import { QueryError } from '../../../components/query-error';
import { isApiError } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { escapeHtml } from '../../../lib/escape-html';
import { useScorecard } from '../api/evaluation-api';
import { EChart, type EChartsOption } from '../../../components/echart';
import { currentPeriods, formatMetric, indicatorValueText, PeriodPicker, periodLabel, scoreColor, scoreText, severityOf } from './evaluation-format';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

function indicatorOption(items: IndicatorResultDto[]): EChartsOption {
  const rows = [...items].reverse();
  return {
    grid: { left: 8, right: 56, top: 28, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number }[]) => {
        const i = rows[ps[0]!.dataIndex]!;
        return `${escapeHtml(i.name)}<br/>实际：${indicatorValueText(i)}<br/>目标：${formatMetric(i.metric, i.target)}<br/>得分：${scoreText(i)}（权重 ${i.weight}）`;
      },
    },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}' }, splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: { type: 'category', data: rows.map((i) => `${i.name}`), axisLabel: { fontSize: 13, color: '#333' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 22,
        data: rows.map((i) => ({ value: i.score ?? 0, itemStyle: { color: scoreColor(i.score), borderRadius: [0, 4, 4, 0] } })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { dataIndex: number }) => scoreText(rows[p.dataIndex]!),
        },
        markLine: {
          symbol: 'none',
          silent: true,
          data: [{ xAxis: 100, label: { formatter: '目标', position: 'end' } }],
          lineStyle: { color: '#389e0d', type: 'solid', width: 2 },
        },
      },
    ],
  };
}

function historyOption(h: ScorecardDto['history']): EChartsOption {
  return {
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: h.map((x) => periodLabel(x.period)) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      {
        type: 'line',
        name: '综合得分',
        data: h.map((x) => x.total),
        symbolSize: 8,
        lineStyle: { width: 3, color: '#c41d1d' },
        itemStyle: { color: '#c41d1d' },
        connectNulls: true,
      },
    ],
  };
}

/** 站点评分卡: one site's period — indicator bars against target, rank, flags and what to improve. */
export function ScorecardPage() {
  const { orgId } = useParams();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? currentPeriods().month;
  const q = useScorecard(orgId, period);
  const c = q.data;
  useDocumentTitle(c ? `评分卡 · ${c.orgName}` : '站点评分卡');
  const barOption = useMemo(() => (c ? indicatorOption(c.indicators) : null), [c]);
  const lineOption = useMemo(() => (c && c.history.length > 1 ? historyOption(c.history) : null), [c]);
  const picker = <PeriodPicker value={period} onChange={(p) => setParams({ period: p }, { replace: true })} />;
  const back = (
    <Link to={`/admin/evaluation?period=${period}`}>
      <Button icon={<ArrowLeftOutlined />}>评估结果</Button>
    </Link>
  );

  if (q.isPending) return <PageLoading />;
  if (q.isError) {
    const missing = isApiError(q.error) && q.error.code === 'NOT_FOUND';
    return (
      <div>
        <PageHeader title="站点评分卡" extra={<Space>{back}</Space>} />
        <Card>
          <div style={{ marginBottom: 16 }}>{picker}</div>
          {missing ? <Empty description={`${periodLabel(period)}尚未计算评估结果`} /> : <QueryError error={q.error} onRetry={() => void q.refetch()} />}
        </Card>
      </div>
    );
  }
  const card = c!;
  return (
    <div className="scorecard">
      <PageHeader
        title={card.orgName}
        description={
          <span>
            <OrgLevelTag level={card.level} full />
            {card.parentName && <span>上级：{card.parentName}</span>}
          </span>
        }
        extra={<Space wrap>{back}</Space>}
      />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size={16} style={{ justifyContent: 'space-between', width: '100%' }}>
          {picker}
          <Typography.Text type="secondary">
            {card.kind === 'month' ? '月度过程性评估' : '年度终结性评估'} · {card.closed ? '已结束，结果已固定' : '进行中'} · 计算于{' '}
            {formatDateTime(card.computedAt)}
          </Typography.Text>
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card title="综合得分" style={{ height: '100%' }}>
            <div style={{ textAlign: 'center' }}>
              <Progress
                type="dashboard"
                size={200}
                percent={card.total ?? 0}
                strokeColor={scoreColor(card.total)}
                format={() => (
                  <span style={{ color: scoreColor(card.total), fontSize: 44, fontWeight: 700 }} data-testid="total">
                    {card.total ?? '—'}
                  </span>
                )}
              />
              <div style={{ fontSize: 18, marginTop: 8 }}>
                {card.rank === null ? (
                  <Typography.Text type="secondary">暂无可排名的数据</Typography.Text>
                ) : (
                  <span>
                    在{card.parentName ?? '上级'}的 {card.rankOf} 个{ORG_LEVEL_NAMES[card.level].short}中排第{' '}
                    <b style={{ fontSize: 26, color: '#c41d1d' }}>{card.rank}</b> 名
                  </span>
                )}
              </div>
            </div>
            {lineOption && (
              <div style={{ marginTop: 16 }}>
                <Typography.Text strong>历次得分</Typography.Text>
                <EChart option={lineOption} notMerge style={{ height: 180 }} ariaLabel="历次综合得分走势" />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card title="各项指标得分（满分 100，达到目标即满分）" style={{ height: '100%' }}>
            {barOption && <EChart option={barOption} notMerge style={{ height: Math.max(220, card.indicators.length * 44) }} ariaLabel="各项指标得分与目标" />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={
              <span>
                <WarningOutlined style={{ color: '#cf1322', marginInlineEnd: 8 }} />
                诊断问题
              </span>
            }
            style={{ height: '100%' }}
          >
            {card.flags.length === 0 ? (
              <Alert type="success" showIcon title="本期未发现问题" />
            ) : (
              <List
                dataSource={card.flags}
                renderItem={(f) => (
                  <List.Item>
                    <Space align="start">
                      <Tag color={severityOf(f.severity).color}>{severityOf(f.severity).label}</Tag>
                      <span style={{ fontSize: 15 }}>{f.message}</span>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={
              <span>
                <BulbOutlined style={{ color: '#d48806', marginInlineEnd: 8 }} />
                改进建议（按失分多少排序）
              </span>
            }
            style={{ height: '100%' }}
          >
            {card.suggestions.length === 0 ? (
              <Alert type="success" showIcon title="各项指标均已达到目标" />
            ) : (
              <List
                dataSource={card.suggestions}
                renderItem={(s, i) => (
                  <List.Item>
                    <div>
                      <Typography.Text strong>
                        {i + 1}. 可提升约 {s.lostPoints} 分
                      </Typography.Text>
                      <div style={{ fontSize: 15, marginTop: 2 }}>{s.message}</div>
                    </div>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card title="指标明细">
            <Table<IndicatorResultDto>
              rowKey="code"
              dataSource={card.indicators}
              pagination={false}
              scroll={{ x: 800 }}
              columns={[
                { title: '编号', dataIndex: 'code', width: 80 },
                { title: '指标', dataIndex: 'name', width: 180 },
                {
                  title: '计算公式',
                  dataIndex: 'metric',
                  render: (m: IndicatorResultDto['metric']) => <Typography.Text type="secondary">{METRIC_INFO[m].formula}</Typography.Text>,
                },
                {
                  title: '实际值',
                  key: 'value',
                  width: 150,
                  render: (_: unknown, i) =>
                    i.value === null ? (
                      <Tag color={i.status === 'insufficient' ? 'orange' : 'default'} data-testid="indicator-missing">
                        {indicatorValueText(i)}
                      </Tag>
                    ) : (
                      formatMetric(i.metric, i.value)
                    ),
                },
                { title: '目标值', key: 'target', width: 130, render: (_: unknown, i) => formatMetric(i.metric, i.target) },
                { title: '权重', dataIndex: 'weight', width: 70 },
                {
                  title: '得分',
                  key: 'score',
                  width: 90,
                  render: (_: unknown, i) =>
                    i.score === null ? <span style={{ color: '#8c8c8c' }}>不计分</span> : <b style={{ color: scoreColor(i.score) }}>{i.score}</b>,
                },
              ]}
            />
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginTop: 16 }} title="本期基础数据">
              <Descriptions.Item label="实践站/点">{card.figures.grassroots ?? 0} 个</Descriptions.Item>
              <Descriptions.Item label="开展活动">{card.figures.activities ?? 0} 场</Descriptions.Item>
              <Descriptions.Item label="注册志愿者">{card.figures.volunteers ?? 0} 人</Descriptions.Item>
              <Descriptions.Item label="已审核服务时长">{card.figures.verifiedHours ?? 0} 小时</Descriptions.Item>
              <Descriptions.Item label="到期工单 / 按时响应">
                {card.figures.ordersDue ?? 0} / {card.figures.ordersResponded ?? 0}
              </Descriptions.Item>
              <Descriptions.Item label="评价 / 满意">
                {card.figures.ratings ?? 0} / {card.figures.satisfied ?? 0}
              </Descriptions.Item>
              <Descriptions.Item label="场馆预约 / 开放（小时）">
                {card.figures.bookedHours ?? 0} / {card.figures.openHours ?? 0}
              </Descriptions.Item>
              <Descriptions.Item label="最近一次活动">{card.figures.lastActivity ?? '从未开展'}</Descriptions.Item>
            </Descriptions>

            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }} data-testid="fairness-note">
              比率类指标（响应率、办结率、满意率）不足 {EVALUATION_MIN_SAMPLE}{' '}
              件时显示“样本不足”，与“暂无数据”的需求类指标一样不计入总分；活动、志愿者、服务时长等工作类指标暂无数据按 0
              分计入。本期没有任何工作的站点排在有工作的站点之后。
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
