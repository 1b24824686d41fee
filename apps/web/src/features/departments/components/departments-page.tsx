import { useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { NATURE_NAMES, type DepartmentDto, type DepartmentFiguresDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { formatDateTime } from '../../../lib/format';
import { useDepartments, useDepartmentStats } from '../api/departments-api';
import { DepartmentDutiesModal } from './department-duties-modal';
import { CreateDepartmentModal } from './create-department-modal';
import { useDocumentTitle } from '../../../lib/use-document-title';

const rateCell = (v: number | null) => (v === null ? <Typography.Text type="secondary">样本不足</Typography.Text> : `${Math.round(v * 1000) / 10}%`);

/** 职能部门: the departments of the caller's scope, filtered by site, their routing directory and figures. */
export function DepartmentsPage({ canCreate }: { canCreate: boolean }) {
  useDocumentTitle('职能部门');
  const [orgId, setOrgId] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<DepartmentDto | null>(null);
  const q = useDepartments(orgId);
  const stats = useDepartmentStats(orgId);
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <PageHeader
        title="职能部门"
        description="承接群众信访、投诉转办的职能部门（如区住建局、区信访局），挂在所属阵地下。"
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新建职能部门
            </Button>
          )
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Typography.Text>所属阵地：</Typography.Text>
          <OrgSearchSelect
            value={orgId}
            onChange={(id) => setOrgId(id)}
            allowClear
            placeholder="全部（输入名称筛选）"
            style={{ width: 340, maxWidth: '80vw' }}
          />
        </Space>
        <PagedTable<DepartmentDto>
          query={q}
          items={rows}
          rowKey="id"
          scroll={{ x: 640 }}
          locale={{ emptyText: orgId ? '该阵地暂无职能部门' : '暂无职能部门' }}
          columns={[
            { title: '部门名称', dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: '所属阵地', dataIndex: 'orgName' },
            {
              title: '派单目录（职责）',
              key: 'duties',
              render: (_: unknown, d: DepartmentDto) =>
                d.keywords.length + d.natures.length + d.categories.length === 0 ? (
                  <Typography.Text type="secondary">未设置</Typography.Text>
                ) : (
                  <Space size={[4, 4]} wrap>
                    {d.natures.map((n) => (
                      <Tag key={n} color="purple">
                        {NATURE_NAMES[n as keyof typeof NATURE_NAMES] ?? n}
                      </Tag>
                    ))}
                    {d.keywords.slice(0, 6).map((k) => (
                      <Tag key={k}>{k}</Tag>
                    ))}
                    {d.keywords.length > 6 && <Tag>+{d.keywords.length - 6}</Tag>}
                  </Space>
                ),
            },
            { title: '管辖范围', dataIndex: 'areaOrgName', width: 200 },
            { title: '创建时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
            ...(canCreate
              ? [
                  {
                    title: '操作',
                    key: 'op',
                    width: 120,
                    render: (_: unknown, d: DepartmentDto) => (
                      <Button size="small" onClick={() => setEditing(d)} data-testid="department-duties">
                        编辑派单目录
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
          countText={<>已显示 {rows.length} 个部门</>}
        />
      </Card>
      <Card title="部门考核（接诉即办）" style={{ marginTop: 16 }} data-testid="department-stats">
        <Table<DepartmentFiguresDto>
          size="small"
          rowKey="departmentId"
          loading={stats.isPending}
          dataSource={stats.data?.items ?? []}
          pagination={false}
          scroll={{ x: 760 }}
          columns={[
            { title: '部门', dataIndex: 'name' },
            { title: '受理', dataIndex: 'received', width: 70 },
            { title: '在办', dataIndex: 'open', width: 70 },
            { title: '超时', dataIndex: 'overdue', width: 70 },
            { title: '签收率', dataIndex: 'ackRate', width: 90, render: rateCell },
            { title: '按时办结率', dataIndex: 'onTimeRate', width: 100, render: rateCell },
            { title: '满意率', dataIndex: 'satisfactionRate', width: 90, render: rateCell },
            { title: '退单率', dataIndex: 'disputeRate', width: 90, render: rateCell },
            { title: '平均办理（小时）', dataIndex: 'avgHandleHours', width: 130, render: (v: number | null) => v ?? '—' },
          ]}
        />
        <Typography.Text type="secondary">不足 5 件时显示“样本不足”，不计算比率。</Typography.Text>
      </Card>
      {editing && <DepartmentDutiesModal dept={editing} onClose={() => setEditing(null)} />}
      <CreateDepartmentModal open={creating} onClose={() => setCreating(false)} defaultOrgId={orgId} />
    </div>
  );
}
