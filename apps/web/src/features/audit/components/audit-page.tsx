import { useState } from 'react';
import { Button, Card, DatePicker, Input, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, type TAuditLogFilter } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { formatDateTime } from '../../../lib/format';
import { useDebounced } from '../../../lib/use-debounced';
import { auditExportUrl, useAuditLogs, useOperatorOptions, type AuditLogDto } from '../api/audit-api';
import { useDocumentTitle } from '../../../lib/use-document-title';

/** Colour by what the action does to its object: the label itself comes from the server. */
function actionColor(action: string): string {
  const verb = action.split('.').at(-1) ?? '';
  if (/create|grant|issue|publish|addMember|restock|log|approve|reactivate/.test(verb)) return 'green';
  if (/revoke|retire|reject|removeMember|delete|withdraw|cancel|suspend|miss|end/.test(verb)) return 'red';
  if (/view|export/.test(verb)) return 'default';
  return 'blue';
}

const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }));
const ENTITY_OPTIONS = Object.entries(AUDIT_ENTITY_LABELS).map(([value, label]) => ({ value, label }));

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">（无）</Typography.Text>;
  return <pre className="audit-json">{JSON.stringify(value, null, 2)}</pre>;
}

/** 操作日志: every staff change in the caller's scope (super admins: all), who made it, before and after. */
export function AuditPage() {
  useDocumentTitle('操作日志');
  const [entityType, setEntityType] = useState<string | undefined>();
  const [action, setAction] = useState<string | undefined>();
  const [actor, setActor] = useState<{ value: string; label: string } | undefined>();
  const actorId = actor?.value;
  const [operatorInput, setOperatorInput] = useState('');
  const operators = useOperatorOptions(useDebounced(operatorInput.trim(), 300));
  const [days, setDays] = useState<[Dayjs, Dayjs] | null>(null);
  const [entityIdInput, setEntityIdInput] = useState('');
  const [entityId, setEntityId] = useState<string | undefined>();
  const filter: TAuditLogFilter = {
    entityType,
    action,
    actorId,
    entityId,
    from: days?.[0].format('YYYY-MM-DD'),
    to: days?.[1].format('YYYY-MM-DD'),
  };
  const logs = useAuditLogs(filter);
  const rows = logs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <PageHeader
        title="操作日志"
        description="工作人员的每一次变更（阵地、用户与角色、志愿者、活动、内容、积分等）都记录在此，包括变更前后的内容。阵地管理员看到本辖区的记录。"
        extra={
          <Button icon={<DownloadOutlined />} href={auditExportUrl(filter)} disabled={!rows.length} data-testid="audit-export">
            导出Excel
          </Button>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部操作"
            style={{ width: 180 }}
            value={action}
            onChange={setAction}
            options={ACTION_OPTIONS}
            data-testid="audit-action"
          />
          <Select allowClear placeholder="全部对象类型" style={{ width: 150 }} value={entityType} onChange={setEntityType} options={ENTITY_OPTIONS} />
          <Select
            allowClear
            showSearch={{ filterOption: false, onSearch: setOperatorInput }}
            placeholder="操作人（姓名或手机号）"
            style={{ width: 220 }}
            labelInValue
            value={actor}
            onChange={(v?: { value: string; label: unknown }) => setActor(v ? { value: v.value, label: String(v.label) } : undefined)}
            options={operators.data ?? []}
            loading={operators.isFetching}
            notFoundContent={operators.isFetching ? '查找中…' : '没有找到'}
          />
          <DatePicker.RangePicker value={days} onChange={(v) => setDays(v && v[0] && v[1] ? [v[0], v[1]] : null)} placeholder={['开始日期', '结束日期']} />
          <Input.Search
            allowClear
            placeholder="对象编号"
            style={{ width: 300, maxWidth: '80vw' }}
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
              dataIndex: 'actionLabel',
              width: 150,
              render: (label: string, r) => (
                <Tag color={actionColor(r.action)} title={r.action}>
                  {label}
                </Tag>
              ),
            },
            { title: '对象类型', dataIndex: 'entityLabel', width: 110 },
            {
              title: '对象编号',
              dataIndex: 'entityId',
              render: (v: string) => (
                <Typography.Text copyable={{ text: v, tooltips: ['复制', '已复制'] }} style={{ fontFamily: 'monospace', fontSize: '0.9em' }}>
                  {v}
                </Typography.Text>
              ),
            },
            {
              title: '操作人',
              dataIndex: 'actorName',
              width: 160,
              render: (name: string | null, r) =>
                r.actorId ? (
                  <a onClick={() => setActor({ value: r.actorId!, label: name ?? r.actorId! })} title="只看此人的操作">
                    {name ?? '（已删除的用户）'}
                  </a>
                ) : (
                  <Typography.Text type="secondary">系统</Typography.Text>
                ),
            },
          ]}
          countText={<>已显示 {rows.length} 条记录</>}
        />
      </Card>
    </div>
  );
}
