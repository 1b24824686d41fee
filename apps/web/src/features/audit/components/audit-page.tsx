import { useState } from 'react';
import { Card, Input, Select, Space, Tag, Typography } from 'antd';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { formatDateTime } from '../../../lib/format';
import { useActorName, useAuditLogs, type AuditLogDto } from '../api/audit-api';
import { useDocumentTitle } from '../../../lib/use-document-title';

const ACTIONS: Record<string, { label: string; color: string }> = {
  'org.create': { label: '新建阵地', color: 'green' },
  'org.update': { label: '编辑阵地', color: 'blue' },
  'user.create': { label: '新建用户', color: 'green' },
  'role.grant': { label: '授予角色', color: 'gold' },
  'role.revoke': { label: '撤销角色', color: 'red' },
  'department.create': { label: '新建职能部门', color: 'green' },
};

const ENTITY_TYPES: Record<string, string> = { org: '阵地', user: '用户', department: '职能部门' };

function Actor({ id }: { id: string | null }) {
  const name = useActorName(id);
  if (!id) return <Typography.Text type="secondary">系统</Typography.Text>;
  return <span title={id}>{name.data ?? `${id.slice(0, 8)}…`}</span>;
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">（无）</Typography.Text>;
  return <pre className="audit-json">{JSON.stringify(value, null, 2)}</pre>;
}

/** 操作日志 (administrators): every staff change, who made it, before and after. */
export function AuditPage() {
  useDocumentTitle('操作日志');
  const [entityType, setEntityType] = useState<string | undefined>();
  const [entityIdInput, setEntityIdInput] = useState('');
  const [entityId, setEntityId] = useState<string | undefined>();
  const logs = useAuditLogs({ entityType, entityId });
  const rows = logs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <PageHeader title="操作日志" description="工作人员的每一次变更（阵地、用户、角色、职能部门）都记录在此，包括变更前后的内容。" />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder="全部对象类型"
            style={{ width: 160 }}
            value={entityType}
            onChange={setEntityType}
            options={Object.entries(ENTITY_TYPES).map(([value, label]) => ({ value, label }))}
          />
          <Input.Search
            allowClear
            placeholder="对象编号"
            style={{ width: 340, maxWidth: '80vw' }}
            value={entityIdInput}
            onChange={(e) => {
              setEntityIdInput(e.target.value);
              if (!e.target.value) setEntityId(undefined);
            }}
            onSearch={(v) => setEntityId(v.trim() || undefined)}
            enterButton="筛选"
          />
        </Space>
        <PagedTable<AuditLogDto>
          query={logs}
          items={rows}
          rowKey={(r) => String(r.id)}
          scroll={{ x: 900 }}
          locale={{ emptyText: '暂无操作记录' }}
          expandable={{
            expandedRowRender: (r) => (
              <div className="audit-diff">
                <div>
                  <Typography.Text strong>变更前</Typography.Text>
                  <Json value={r.before} />
                </div>
                <div>
                  <Typography.Text strong>变更后</Typography.Text>
                  <Json value={r.after} />
                </div>
              </div>
            ),
          }}
          columns={[
            { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
            {
              title: '操作',
              dataIndex: 'action',
              width: 130,
              render: (a: string) => {
                const known = ACTIONS[a];
                return known ? <Tag color={known.color}>{known.label}</Tag> : <Tag>{a}</Tag>;
              },
            },
            { title: '对象类型', dataIndex: 'entityType', width: 100, render: (t: string) => ENTITY_TYPES[t] ?? t },
            {
              title: '对象编号',
              dataIndex: 'entityId',
              render: (v: string) => (
                <Typography.Text copyable={{ text: v, tooltips: ['复制', '已复制'] }} style={{ fontFamily: 'monospace', fontSize: '0.9em' }}>
                  {v}
                </Typography.Text>
              ),
            },
            { title: '操作人', dataIndex: 'actorId', width: 220, render: (v: string | null) => <Actor id={v} /> },
          ]}
          countText={<>已显示 {rows.length} 条记录</>}
        />
      </Card>
    </div>
  );
}
