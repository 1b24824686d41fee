import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Empty, Popconfirm, Progress, Segmented, Space, Switch, Table, Typography } from 'antd';
import { CalculatorOutlined, DownloadOutlined } from '@ant-design/icons';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { ORG_LEVEL_NAMES, type EvaluatedLevel, type EvaluationRowDto, type MeDto, type OrgDto } from '@wenming/contracts';
import { OrgLevelTag } from '../../../components/org-level-tag';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { api, errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { canManage, isAdmin } from '../../../lib/session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { exportUrl, useComputeEvaluation, useEvaluations } from '../api/evaluation-api';
import { currentPeriods, FlagTags, PeriodPicker, periodLabel, scoreColor } from './evaluation-format';

const LEVELS: { value: EvaluatedLevel | 'all'; label: string }[] = [
  { value: 'all', label: '全部层级' },
  { value: 'center', label: '中心' },
  { value: 'institute', label: '所' },
  { value: 'station', label: '站' },
  { value: 'point', label: '点' },
];

/** The single grass-roots site a staff member works for, if that is all they have (they land on its card). */
function useOwnSiteOnly(me: MeDto) {
  const scoped = me.roles.filter((r) => r.orgId && (r.role === 'org_admin' || r.role === 'dispatcher'));
  const only = !isAdmin(me) && scoped.length === 1 ? scoped[0]!.orgId! : null;
  const org = useQuery({ queryKey: ['orgs', 'one', only], queryFn: () => api<OrgDto>(`/orgs/${only}`), enabled: !!only, staleTime: 5 * 60_000 });
  return { pending: !!only && org.isPending, siteId: org.data && (org.data.level === 'station' || org.data.level === 'point') ? org.data.id : null };
}

/** 评估结果: the ranking of a period with scores and diagnostic flags; admins compute it here. */
export function EvaluationsPage({ me }: { me: MeDto }) {
  useDocumentTitle('成效评估');
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? currentPeriods().month;
  const level = (params.get('level') as EvaluatedLevel | null) ?? undefined;
  const orgId = params.get('org') ?? undefined;
  const flagged = params.get('flagged') === '1';
  const [force, setForce] = useState(false);
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const own = useOwnSiteOnly(me);
  const q = useEvaluations({ period, orgId, level, flagged });
  const compute = useComputeEvaluation();
  if (own.siteId) return <Navigate to={`/admin/evaluation/sites/${own.siteId}?period=${period}`} replace />;

  const runs = q.data?.runs ?? [];
  const closedRun = runs.some((r) => r.closed);
  const manage = canManage(me);
  const doCompute = async () => {
    try {
      const r = await compute.mutateAsync({ period, force: force || undefined });
      const kept = r.runs.filter((x) => !x.recomputed).length;
      if (kept) message.info(`${periodLabel(period)}已结束且已计算，结果保持不变（如需重算请勾选“强制重算”）`);
      else message.success(`已完成${periodLabel(period)}的评估计算，共 ${r.runs.reduce((s, x) => s + x.sites, 0)} 个阵地`);
      setForce(false);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const computeButton = manage && (
    <Space>
      {isAdmin(me) && closedRun && (
        <Checkbox checked={force} onChange={(e) => setForce(e.target.checked)}>
          强制重算
        </Checkbox>
      )}
      {force ? (
        <Popconfirm
          title="强制重算已结束的评估期？"
          description="历史结果将被新结果替换，此操作会记入操作日志。"
          okText="重算"
          cancelText="取消"
          onConfirm={() => void doCompute()}
        >
          <Button type="primary" danger icon={<CalculatorOutlined />} loading={compute.isPending}>
            强制重算
          </Button>
        </Popconfirm>
      ) : (
        <Button type="primary" icon={<CalculatorOutlined />} loading={compute.isPending} onClick={() => void doCompute()} data-testid="evaluation-compute">
          计算本期评估
        </Button>
      )}
    </Space>
  );

  return (
    <div>
      <PageHeader
        title="成效评估"
        description="按月过程性评估、按年终结性评估；同一上级下同层级阵地排名，诊断问题附原因。"
        extra={
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={exportUrl({ period, orgId, level })} disabled={!q.data?.items.length}>
              导出 Excel
            </Button>
            {computeButton}
          </Space>
        }
      />
      <Card>
        <Space wrap size={[16, 12]} style={{ marginBottom: 16 }}>
          <PeriodPicker value={period} onChange={(p) => set('period', p)} />
          <Segmented value={level ?? 'all'} onChange={(v) => set('level', v === 'all' ? undefined : String(v))} options={LEVELS} />
          <OrgSearchSelect value={orgId} onChange={(v) => set('org', v)} allowClear placeholder="全部辖区（可选阵地）" style={{ width: 260 }} />
          <Space>
            <Switch checked={flagged} onChange={(v) => set('flagged', v ? '1' : undefined)} aria-label="只看有诊断问题的阵地" />
            <span>只看有诊断问题的阵地</span>
          </Space>
        </Space>
        {runs.length > 0 && (
          <Alert
            style={{ marginBottom: 16 }}
            type={runs.every((r) => r.closed) ? 'success' : 'info'}
            showIcon
            title={
              <span>
                {periodLabel(period)}
                {runs.every((r) => r.closed) ? '已结束，结果已固定' : '进行中，结果为截至计算时的情况（约每3小时自动更新）'}；最近计算：
                {formatDateTime(runs[0]!.computedAt)}
                {runs.some((r) => r.forcedCount > 0) && <Typography.Text type="warning">（曾由管理员强制重算）</Typography.Text>}
              </span>
            }
          />
        )}
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : !q.isPending && runs.length === 0 ? (
          <Empty description={`${periodLabel(period)}尚未计算评估结果`}>
            {manage ? computeButton : <Typography.Text type="secondary">请联系管理员计算</Typography.Text>}
          </Empty>
        ) : (
          <Table<EvaluationRowDto>
            data-testid="evaluation-table"
            rowKey="orgId"
            loading={q.isPending}
            dataSource={q.data?.items ?? []}
            pagination={{
              pageSize: 20,
              showSizeChanger: false,
              showTotal: (n) => `共 ${n} 个阵地${q.data?.nextCursor ? '（仅显示前 200 个，完整结果请导出）' : ''}`,
            }}
            scroll={{ x: 960 }}
            locale={{ emptyText: flagged ? '没有诊断问题' : '没有符合条件的阵地' }}
            columns={[
              { title: '序号', key: 'i', width: 64, render: (_: unknown, __: EvaluationRowDto, i: number) => i + 1 },
              {
                title: '阵地',
                dataIndex: 'orgName',
                width: 260,
                render: (name: string, r) => (
                  <span>
                    <OrgLevelTag level={r.level} />
                    <Link to={`/admin/evaluation/sites/${r.orgId}?period=${period}`}>{name}</Link>
                  </span>
                ),
              },
              { title: '上级阵地', dataIndex: 'parentName', width: 220, ellipsis: true, render: (p: string | null) => p ?? '—' },
              {
                title: '综合得分',
                dataIndex: 'total',
                width: 180,
                render: (t: number | null) =>
                  t === null ? (
                    <Typography.Text type="secondary">无数据</Typography.Text>
                  ) : (
                    <Progress
                      percent={t}
                      size="small"
                      strokeColor={scoreColor(t)}
                      format={(p) => <span style={{ color: scoreColor(t), fontWeight: 600 }}>{p}</span>}
                    />
                  ),
              },
              {
                title: '同级排名',
                key: 'rank',
                width: 110,
                render: (_: unknown, r) =>
                  r.rank === null ? (
                    '—'
                  ) : (
                    <span title={`在${r.parentName ?? '上级'}下的 ${r.rankOf} 个${ORG_LEVEL_NAMES[r.level].short}中`}>{`${r.rank} / ${r.rankOf}`}</span>
                  ),
              },
              { title: '诊断', dataIndex: 'flags', render: (f: EvaluationRowDto['flags']) => <FlagTags flags={f} /> },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
