import { useState } from 'react';
import { Button, Card, Input, Rate, Segmented, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import type { MeDto, ResourceCategory } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { canManage } from '../../../lib/session';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUrlParams } from '../../../lib/use-url-params';
import { useResourceList, useResourceTypes, type ResourceDto, type ResourceFilter } from '../api/resources-api';
import { CATEGORY_NAMES, weeklyHoursSummary } from './resource-format';
import './resources.css';

const CATEGORY_COLORS: Record<ResourceCategory, string> = { venue: 'red', base: 'volcano', facility: 'green', talent: 'blue', equipment: 'purple' };

/** 资源库 (admin): the resources of the caller's sites, by site, category, type and words. */
export function AdminResourcesPage({ me }: { me: MeDto }) {
  useDocumentTitle('资源库');
  const navigate = useNavigate();
  const [params, set] = useUrlParams();
  const orgId = params.get('org') ?? undefined;
  const category = (params.get('category') ?? undefined) as ResourceCategory | undefined;
  const type = params.get('type') ?? undefined;
  const status = params.get('status') === 'retired' ? 'retired' : 'active';
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 350);
  const types = useResourceTypes();
  const manage = canManage(me);
  const filter: ResourceFilter = { orgId, category, type, q: q || undefined, status };
  const list = useResourceList(filter);

  return (
    <div>
      <PageHeader
        title="资源库"
        description="登记各阵地的场馆、教育基地、文体设施、人才师资和物资设备，设置开放时间和预约规则，供群众在手机上预约。"
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/admin/resources/new')} data-testid="resource-new">
              登记资源
            </Button>
          ) : undefined
        }
      />
      <Card>
        <div className="res-filters">
          <Space wrap size={12}>
            <Segmented
              value={category ?? 'all'}
              onChange={(v) => set({ category: v === 'all' ? null : String(v), type: null })}
              options={[
                { value: 'all', label: '全部' },
                ...(Object.keys(CATEGORY_NAMES) as ResourceCategory[]).map((c) => ({ value: c, label: CATEGORY_NAMES[c] })),
              ]}
              data-testid="resource-category-filter"
            />
            {manage && (
              <Segmented
                value={status}
                onChange={(v) => set({ status: v === 'retired' ? 'retired' : null })}
                options={[
                  { value: 'active', label: '在用' },
                  { value: 'retired', label: '已下架' },
                ]}
              />
            )}
          </Space>
          <Space wrap size={12}>
            <OrgSearchSelect value={orgId} allowClear placeholder="全部阵地" style={{ width: 260 }} onChange={(id) => set({ org: id })} />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部类型"
              value={type}
              onChange={(v: string | undefined) => set({ type: v })}
              style={{ width: 170 }}
              loading={types.isPending}
              options={(types.data ?? []).filter((t) => !category || t.category === category).map((t) => ({ value: t.code, label: t.name }))}
              data-testid="resource-type-filter"
            />
            <Input.Search
              allowClear
              placeholder="搜索名称、介绍"
              value={input}
              onChange={(e) => setInput(e.target.value)}
              style={{ width: 220 }}
              data-testid="resource-search"
            />
          </Space>
        </div>
        <PagedTable<ResourceDto>
          query={list}
          rowKey="id"
          scroll={{ x: 1400 }}
          locale={{ emptyText: status === 'retired' ? '没有已下架的资源' : '没有符合条件的资源' }}
          data-testid="resource-table"
          columns={[
            {
              title: '名称',
              dataIndex: 'name',
              width: 220,
              render: (name: string, r) => (
                <div>
                  {r.photos[0] && <img className="res-thumb" src={r.photos[0]} alt="" />}
                  <Link to={`/admin/resources/${r.id}/edit`} className="res-name">
                    {name}
                  </Link>
                </div>
              ),
            },
            {
              title: '类型',
              key: 'type',
              width: 170,
              render: (_: unknown, r) => (
                <Space size={4}>
                  <Tag color={CATEGORY_COLORS[r.category]}>{CATEGORY_NAMES[r.category]}</Tag>
                  {r.typeName}
                </Space>
              ),
            },
            { title: '所属阵地', dataIndex: 'orgName', width: 230, ellipsis: true },
            {
              title: '容量 / 数量',
              key: 'size',
              width: 110,
              render: (_: unknown, r) => (r.quantity !== null ? `${r.quantity} 件` : r.capacity ? `${r.capacity} 人` : '—'),
            },
            {
              title: '开放时间',
              key: 'hours',
              width: 260,
              render: (_: unknown, r) => (
                <Tooltip title={weeklyHoursSummary(r.openHours).join('；')}>
                  <span className="res-hours">{weeklyHoursSummary(r.openHours)[0]}</span>
                  {weeklyHoursSummary(r.openHours).length > 1 && <Typography.Text type="secondary"> 等</Typography.Text>}
                </Tooltip>
              ),
            },
            {
              title: '预约',
              key: 'booking',
              width: 120,
              render: (_: unknown, r) =>
                !r.bookable ? <Tag>不开放预约</Tag> : r.requiresApproval ? <Tag color="orange">需审核</Tag> : <Tag color="green">免审核</Tag>,
            },
            {
              title: '评价',
              key: 'rating',
              width: 170,
              render: (_: unknown, r) =>
                r.rating === null ? (
                  <Typography.Text type="secondary">暂无</Typography.Text>
                ) : (
                  <span>
                    <Rate disabled allowHalf value={r.rating} style={{ fontSize: 13 }} /> {r.rating}（{r.reviewCount}）
                  </span>
                ),
            },
            {
              title: '操作',
              key: 'ops',
              width: 90,
              fixed: 'right',
              render: (_: unknown, r) =>
                r.allowedActions.includes('edit') ? (
                  <Link to={`/admin/resources/${r.id}/edit`}>编辑</Link>
                ) : (
                  <Link to={`/admin/resources/${r.id}/edit`}>查看</Link>
                ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          {orgId ? '显示所选阵地及其下级阵地的资源。' : '显示全部阵地的资源；选择阵地可只看其下级。'}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
