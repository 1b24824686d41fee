import { useState } from 'react';
import { Button, Card, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { DepartmentDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { formatDateTime } from '../../../lib/format';
import { useDepartments } from '../api/departments-api';
import { CreateDepartmentModal } from './create-department-modal';
import { useDocumentTitle } from '../../../lib/use-document-title';

/** 职能部门: the departments of the caller's scope, filtered by site. */
export function DepartmentsPage({ canCreate }: { canCreate: boolean }) {
  useDocumentTitle('职能部门');
  const [orgId, setOrgId] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const q = useDepartments(orgId);
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
            { title: '创建时间', dataIndex: 'createdAt', width: 180, render: (v: string) => formatDateTime(v) },
          ]}
          countText={<>已显示 {rows.length} 个部门</>}
        />
      </Card>
      <CreateDepartmentModal open={creating} onClose={() => setCreating(false)} defaultOrgId={orgId} />
    </div>
  );
}
