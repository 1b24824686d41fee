import { useState } from 'react';
import { Badge, Button, Card, Checkbox, Input, Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined, WarningFilled } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import type { MeDto, PairingPlanDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { usePairingPlans, type PlanState } from '../api/pairing-api';
import { describeRules, formatDue, PlanStateTag } from './pairing-format';
import './pairing.css';
import { useOrgParam, useUrlParams } from '../../../lib/use-url-params';

const STATES: { value: PlanState | 'all'; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'active', label: '进行中' },
  { value: 'paused', label: '已暂停' },
  { value: 'ended', label: '已结束' },
];

/** 结对帮扶: the plans of the caller's sites, overdue visits flagged. */
export function AdminPairingPlansPage({ me }: { me: MeDto }) {
  useDocumentTitle('结对帮扶');
  const navigate = useNavigate();
  const [params, set] = useUrlParams();
  const state = (params.get('state') ?? 'all') as PlanState | 'all';
  const overdue = params.get('overdue') === 'true';
  const [orgId, setOrg] = useOrgParam(me);
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 350);
  const list = usePairingPlans({ orgId, state: state === 'all' ? undefined : state, q: q || undefined, overdue });

  return (
    <div>
      <PageHeader
        title="结对帮扶"
        description="志愿者与独居、空巢、失能老人结对（如尖草坪区“3+1晚霞行动”）：按每周探访、每月相聚、传统节日自动生成探访任务，志愿者在手机上登记，服务时长经审核计入。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/admin/pairing/new')} data-testid="pairing-new">
            新建结对
          </Button>
        }
      />
      <Card>
        <div className="pairing-filters">
          <Space wrap size={12}>
            <Segmented value={state} onChange={(v) => set({ state: v === 'all' ? null : String(v) })} options={STATES} data-testid="pairing-state-filter" />
            <Checkbox checked={overdue} onChange={(e) => set({ overdue: e.target.checked ? 'true' : null })} data-testid="pairing-overdue-filter">
              只看有逾期任务的
            </Checkbox>
          </Space>
          <Space wrap size={12}>
            <OrgSearchSelect value={orgId} allowClear placeholder="全部阵地" style={{ width: 260 }} onChange={setOrg} />
            <Input.Search allowClear placeholder="搜索结对名称" value={input} onChange={(e) => setInput(e.target.value)} style={{ width: 220 }} />
          </Space>
        </div>
        <PagedTable<PairingPlanDto>
          query={list}
          rowKey="id"
          scroll={{ x: 1070 }}
          locale={{ emptyText: '还没有结对帮扶，点击右上角“新建结对”' }}
          rowClassName={(p) => (p.counts.overdue > 0 && p.state === 'active' ? 'pairing-row-overdue' : '')}
          data-testid="pairing-table"
          columns={[
            {
              title: '结对名称',
              dataIndex: 'name',
              width: 230,
              render: (n: string, p) => (
                <div>
                  <Link to={`/admin/pairing/${p.id}`} className="pairing-title">
                    {n}
                  </Link>
                  <div className="pairing-sub">{p.orgName}</div>
                </div>
              ),
            },
            {
              title: '帮扶对象 / 结对志愿者',
              key: 'who',
              width: 250,
              render: (_: unknown, p) => (
                <div>
                  {p.residents.map((r) => (
                    <div key={r.id}>
                      <b>{r.name}</b>
                      {r.tags.slice(0, 3).map((t) => (
                        <Tag key={t} color="orange" className="pairing-care-tag">
                          {t}
                        </Tag>
                      ))}
                    </div>
                  ))}
                  <div className="pairing-sub">志愿者：{p.volunteers.map((v) => v.name).join('、')}</div>
                </div>
              ),
            },
            {
              title: '探访规则',
              key: 'rules',
              width: 250,
              render: (_: unknown, p) => (
                <div className="pairing-rules-cell">
                  {describeRules(p.rules).map((l) => (
                    <div key={l}>{l}</div>
                  ))}
                </div>
              ),
            },
            { title: '下次探访', key: 'next', width: 120, render: (_: unknown, p) => (p.nextDueAt && p.state === 'active' ? formatDue(p.nextDueAt) : '—') },
            {
              title: '任务',
              key: 'counts',
              width: 140,
              render: (_: unknown, p) => (
                <Space size={4} wrap>
                  {p.counts.overdue > 0 && (
                    <Tooltip title="已过探访日期仍未登记">
                      <Tag color="red" icon={<WarningFilled />} data-testid="pairing-overdue-count">
                        逾期 {p.counts.overdue}
                      </Tag>
                    </Tooltip>
                  )}
                  <Badge status="processing" text={`待办 ${p.counts.open - p.counts.overdue}`} />
                  <Badge status="success" text={`完成 ${p.counts.done}`} />
                </Space>
              ),
            },
            { title: '状态', dataIndex: 'state', width: 80, render: (s: PlanState) => <PlanStateTag state={s} /> },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          {orgId ? '显示所选阵地及其下级阵地的结对帮扶。' : '显示您管辖范围内的全部结对帮扶。'}红色行表示有逾期未登记的探访。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
