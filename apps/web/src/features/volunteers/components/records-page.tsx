import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { ZCreateRecordBody, type ServiceRecordDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { ReasonModal } from '../../../components/reason-modal';
import { errorMessage } from '../../../lib/api-client';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { formatDateTime, localInputToIso } from '../../../lib/format';
import { isLeaderOnly, useMe } from '../../../lib/session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateRecord, useRecordAction, useRecordQueue } from '../api/volunteers-api';
import { RecordStatusTag, SOURCE_NAMES } from './record-status-tag';
import { VolunteerSelect } from './volunteer-select';
import './volunteers.css';

interface ManualValues {
  volunteerId?: string;
  orgId?: string;
  title?: string;
  hours?: number | null;
  startedAt?: string;
  endedAt?: string;
  note?: string;
}

const FIELDS = ['volunteerId', 'orgId', 'title', 'hours', 'startedAt', 'endedAt', 'note'] as const;

/** 补录服务时长: a record of service done outside the platform; a second staff member verifies it. */
function ManualRecordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<ManualValues>();
  const { message } = App.useApp();
  const create = useCreateRecord();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const missing = (['volunteerId', 'orgId'] as const).filter((k) => !v[k]);
    if (missing.length) {
      form.setFields(missing.map((k) => ({ name: [k], errors: [k === 'volunteerId' ? '请选择志愿者' : '请选择服务阵地'] })));
      return;
    }
    const body = validateForm(form, ZCreateRecordBody, {
      volunteerId: v.volunteerId,
      orgId: v.orgId,
      title: v.title ?? '',
      hours: v.hours ?? undefined,
      startedAt: localInputToIso(v.startedAt) ?? '',
      endedAt: localInputToIso(v.endedAt) ?? '',
      note: v.note?.trim() || undefined,
    });
    if (!body) return;
    try {
      await create.mutateAsync(body);
      message.success('已补录，等待另一位工作人员审核');
      form.resetFields();
      onClose();
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };
  return (
    <Modal
      open={open}
      title="补录服务时长"
      okText="提交审核"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={560}
    >
      <Typography.Paragraph type="secondary">
        用于平台外完成的志愿服务（须有佐证）。补录的记录须由另一位工作人员审核通过后才计入时长和积分。
      </Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="manual-record" onValuesChange={clearErrorsOnChange(form)} onFinish={() => void submit()}>
        <Form.Item name="volunteerId" label="志愿者" required>
          <VolunteerSelect onChange={(id, v) => form.setFieldsValue({ volunteerId: id, ...(v && !form.getFieldValue('orgId') ? { orgId: v.orgId } : {}) })} />
        </Form.Item>
        <Form.Item name="orgId" label="服务阵地" required>
          <OrgSearchSelect />
        </Form.Item>
        <Form.Item name="title" label="服务事项" required>
          <Input maxLength={100} placeholder="如：重阳节敬老院慰问演出" />
        </Form.Item>
        <Space size={12} style={{ display: 'flex' }} className="record-times">
          <Form.Item name="startedAt" label="开始时间" required>
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item name="endedAt" label="结束时间" required>
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item name="hours" label="时长（小时）" required>
            <InputNumber min={0.1} max={24} step={0.5} precision={1} style={{ width: 120 }} />
          </Form.Item>
        </Space>
        <Form.Item name="note" label="佐证说明">
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} placeholder="签到表、照片存档位置、联系人等" />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

function RecordReasonModal({ record, action, onClose }: { record: ServiceRecordDto; action: 'reject' | 'revoke' | 'override'; onClose: () => void }) {
  const { message } = App.useApp();
  const act = useRecordAction();
  const label = action === 'reject' ? '驳回' : action === 'revoke' ? '撤销' : '核定通过';
  return (
    <ReasonModal
      title={`${label}：${record.volunteerName} ${record.hours} 小时`}
      okText={label}
      danger={action !== 'override'}
      note={
        action === 'revoke'
          ? '撤销会冲减已计入的时长和积分。'
          : action === 'override'
            ? `时长存疑：${record.plausibility.reason ?? ''}。核实属实（如服务在平台外计时）后填写核定理由，理由会记入审计日志。`
            : undefined
      }
      label={action === 'override' ? '核定理由' : undefined}
      placeholder={action === 'override' ? '如：志愿者到场后才补点开始服务，已电话核实服务 2 小时' : '会告知志愿者'}
      busy={act.isPending}
      onClose={onClose}
      onOk={async (reason) => {
        if (action === 'override') await act.mutateAsync({ id: record.id, action: 'verify', body: { overrideReason: reason } });
        else await act.mutateAsync({ id: record.id, action, body: { reason } });
        message.success(action === 'override' ? `已核定 ${record.hours} 小时` : `已${label}`);
        onClose();
      }}
    />
  );
}

/** Hours plausibility: a claim beyond the time the platform saw, with the evidence. */
function HoursCell({ r }: { r: ServiceRecordDto }) {
  const flagged = r.plausibility.verdict === 'implausible';
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text strong style={{ whiteSpace: 'nowrap' }} type={flagged && r.status === 'pending' ? 'warning' : undefined}>
        {r.hours} 小时
      </Typography.Text>
      {flagged && (
        <Tooltip title={`${r.plausibility.reason}，最多 ${r.plausibility.maxHours} 小时${r.overrideReason ? `；核定理由：${r.overrideReason}` : ''}`}>
          <Tag color={r.overrideReason ? 'default' : 'warning'} icon={<WarningOutlined />} style={{ marginInlineEnd: 0 }} data-testid="record-implausible">
            {r.overrideReason ? '已核定' : '时长存疑'}
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}

const STATUSES = [
  { value: 'pending', label: '待审核' },
  { value: 'verified', label: '已认证' },
  { value: 'rejected', label: '已驳回' },
] as const;

/** 时长审核: pending service records (from orders, activities, manual entries) to verify or reject. */
export function RecordsPage() {
  useDocumentTitle('时长审核');
  const { message } = App.useApp();
  const [status, setStatus] = useState<string>('pending');
  const [adding, setAdding] = useState(false);
  const leaderOnly = isLeaderOnly(useMe().data);
  const [dialog, setDialog] = useState<{ r: ServiceRecordDto; action: 'reject' | 'revoke' | 'override' } | null>(null);
  const q = useRecordQueue(status);
  const act = useRecordAction();
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const verify = async (r: ServiceRecordDto) => {
    try {
      await act.mutateAsync({ id: r.id, action: 'verify', body: {} });
      message.success(`已认证 ${r.volunteerName} ${r.hours} 小时`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div>
      <PageHeader
        title="时长审核"
        description="工单完成、活动签退和手工补录产生的服务记录，审核通过后计入志愿者时长、星级和积分。"
        extra={
          // Manual records are entered by site staff; 队长 check what their members served.
          !leaderOnly && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="record-add">
              补录时长
            </Button>
          )
        }
      />
      <Card>
        <Segmented value={status} onChange={(v) => setStatus(v as string)} options={[...STATUSES]} style={{ marginBottom: 16 }} />
        <PagedTable<ServiceRecordDto>
          query={q}
          items={rows}
          rowKey="id"
          scroll={{ x: 1200 }}
          locale={{ emptyText: status === 'pending' ? '没有待审核的记录' : '暂无记录' }}
          columns={[
            { title: '志愿者', dataIndex: 'volunteerName', width: 100, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: '服务事项', dataIndex: 'title', width: 240, render: (t: string | null, r) => t ?? SOURCE_NAMES[r.source] },
            { title: '来源', dataIndex: 'source', width: 70, render: (s: ServiceRecordDto['source']) => SOURCE_NAMES[s] },
            {
              title: '时长',
              dataIndex: 'hours',
              width: 100,
              render: (_: number, r) => <HoursCell r={r} />,
            },
            { title: '服务时间', key: 'when', width: 170, render: (_: unknown, r) => formatDateTime(r.startedAt ?? r.createdAt) },
            { title: '阵地', dataIndex: 'orgName', width: 220, ellipsis: true },
            { title: '说明', dataIndex: 'note', ellipsis: true, render: (n: string | null, r) => n ?? r.decisionNote ?? '—' },
            { title: '状态', dataIndex: 'status', width: 80, render: (s: ServiceRecordDto['status']) => <RecordStatusTag status={s} /> },
            {
              title: '操作',
              key: 'op',
              width: 170,
              fixed: 'right',
              render: (_: unknown, r) => (
                <Space size={4}>
                  {r.allowedActions.includes('verify') && (
                    <Popconfirm
                      title={`认证 ${r.hours} 小时？`}
                      description="通过后计入时长和积分。"
                      okText="通过"
                      cancelText="取消"
                      onConfirm={() => verify(r)}
                    >
                      <Button size="small" type="primary" data-testid="record-verify">
                        通过
                      </Button>
                    </Popconfirm>
                  )}
                  {r.allowedActions.includes('verify_override') && (
                    <Button size="small" onClick={() => setDialog({ r, action: 'override' })} data-testid="record-verify-override">
                      核定通过
                    </Button>
                  )}
                  {r.allowedActions.includes('reject') && (
                    <Button size="small" danger onClick={() => setDialog({ r, action: 'reject' })} data-testid="record-reject">
                      驳回
                    </Button>
                  )}
                  {r.allowedActions.includes('revoke') && (
                    <Button size="small" danger type="text" onClick={() => setDialog({ r, action: 'revoke' })}>
                      撤销
                    </Button>
                  )}
                  {r.status === 'pending' && !r.allowedActions.length && <Typography.Text type="secondary">待他人审核</Typography.Text>}
                </Space>
              ),
            },
          ]}
          countText={<>已显示 {rows.length} 条</>}
        />
      </Card>
      <ManualRecordModal open={adding} onClose={() => setAdding(false)} />
      {dialog && <RecordReasonModal record={dialog.r} action={dialog.action} onClose={() => setDialog(null)} />}
    </div>
  );
}
