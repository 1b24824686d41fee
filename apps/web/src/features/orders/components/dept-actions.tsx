import { useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, RollbackOutlined, TeamOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ReasonModal } from '../../../components/reason-modal';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDepartmentsOf, useOrderAction, type OrderDto } from '../api/orders-api';

function ExtensionDialog({ order, onClose }: { order: OrderDto; onClose: () => void }) {
  const { message } = App.useApp();
  const act = useOrderAction(order.id);
  const base = order.resolveDueAt ? dayjs(order.resolveDueAt) : dayjs();
  const [until, setUntil] = useState<Dayjs | null>(base.add(3, 'day'));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open
      title={`申请延期 ${order.code}`}
      okText="提交申请"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={act.isPending}
      destroyOnHidden
      onOk={async () => {
        if (!until) return setError('请选择延期后的办理时限');
        if (!reason.trim()) return setError('请填写延期原因');
        try {
          await act.mutateAsync({ action: 'extension', body: { until: until.toISOString(), reason: reason.trim() } });
          message.success('已提交延期申请，等待调度台审批');
          onClose();
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
    >
      {order.resolveDueAt && <Alert type="info" showIcon title={`当前办理时限：${formatDateTime(order.resolveDueAt)}`} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="延期至" required>
          <DatePicker
            showTime
            value={until}
            onChange={setUntil}
            style={{ width: '100%' }}
            disabledDate={(d) => d.isBefore(base, 'day')}
            data-testid="extension-until"
          />
        </Form.Item>
        <Form.Item label="延期原因" required>
          <Input.TextArea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            showCount
            autoSize={{ minRows: 2, maxRows: 5 }}
            data-testid="extension-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CoUnitDialog({ order, onClose }: { order: OrderDto; onClose: () => void }) {
  const { message } = App.useApp();
  const act = useOrderAction(order.id);
  const deps = useDepartmentsOf(undefined);
  const [departmentId, setDepartmentId] = useState<string>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const taken = new Set([order.assignee.departmentId, ...(order.coDepartmentIds ?? [])]);
  return (
    <Modal
      open
      title={`请协办单位 ${order.code}`}
      okText="发出协办"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={act.isPending}
      destroyOnHidden
      onOk={async () => {
        if (!departmentId) return setError('请选择协办单位');
        try {
          await act.mutateAsync({ action: 'co-units', body: { departmentId, note: note.trim() || undefined } });
          message.success('已请协办单位协助办理');
          onClose();
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
    >
      <Alert type="info" showIcon title="协办单位可查看工单并协助办理，答复办结仍由本部门负责。" style={{ marginBottom: 12 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="协办单位" required>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            value={departmentId}
            onChange={(v: string) => {
              setDepartmentId(v);
              setError(null);
            }}
            loading={deps.isPending}
            placeholder="选择协办部门"
            options={(deps.data?.items ?? []).filter((d) => !taken.has(d.id)).map((d) => ({ value: d.id, label: `${d.name}（${d.orgName}）` }))}
            data-testid="co-unit-department"
          />
        </Form.Item>
        <Form.Item label="协办事项">
          <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} showCount autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 接诉即办 actions besides 答复办结 (H5OrderActions draws that one), from `allowedActions`:
 * the department's 签收 · 退回（派单异议）· 申请延期 · 请协办, and the desk's 同意/不同意延期.
 */
export function DeptActions({ order, size = 'middle' }: { order: OrderDto; size?: 'large' | 'middle' }) {
  const { message } = App.useApp();
  const act = useOrderAction(order.id);
  const [dialog, setDialog] = useState<null | 'dispute' | 'extension' | 'co-unit' | 'refuse'>(null);
  const can = (a: string) => order.allowedActions.includes(a);
  const run = async (action: 'acknowledge' | 'extension/grant', done: string) => {
    try {
      await act.mutateAsync({ action });
      message.success(done);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  if (!['acknowledge', 'dispute', 'request_extension', 'add_co_unit', 'grant_extension', 'refuse_extension'].some(can)) return null;
  return (
    <>
      <Space wrap>
        {can('acknowledge') && (
          <Button
            type="primary"
            size={size}
            icon={<CheckCircleOutlined />}
            loading={act.isPending}
            onClick={() => void run('acknowledge', '已签收')}
            data-testid="dept-acknowledge"
          >
            签收
          </Button>
        )}
        {can('request_extension') && (
          <Button size={size} icon={<ClockCircleOutlined />} onClick={() => setDialog('extension')} data-testid="dept-extension">
            申请延期
          </Button>
        )}
        {can('add_co_unit') && (
          <Button size={size} icon={<TeamOutlined />} onClick={() => setDialog('co-unit')} data-testid="dept-co-unit">
            请协办
          </Button>
        )}
        {can('dispute') && (
          <Button size={size} danger icon={<RollbackOutlined />} onClick={() => setDialog('dispute')} data-testid="dept-dispute">
            退回（非本部门职责）
          </Button>
        )}
        {can('grant_extension') && (
          <Button type="primary" size={size} loading={act.isPending} onClick={() => void run('extension/grant', '已同意延期')} data-testid="extension-grant">
            同意延期{order.extension ? `至 ${formatDateTime(order.extension.until)}` : ''}
          </Button>
        )}
        {can('refuse_extension') && (
          <Button size={size} danger onClick={() => setDialog('refuse')} data-testid="extension-refuse">
            不同意延期
          </Button>
        )}
      </Space>
      {dialog === 'extension' && <ExtensionDialog order={order} onClose={() => setDialog(null)} />}
      {dialog === 'co-unit' && <CoUnitDialog order={order} onClose={() => setDialog(null)} />}
      {dialog === 'dispute' && (
        <ReasonModal
          title={`退回工单 ${order.code}（派单异议）`}
          okText="退回调度台"
          danger
          label="退回理由（将告知转办的调度台，并计入部门退单）"
          placeholder="如：该事项属住建部门职责，建议转住建局"
          busy={act.isPending}
          onClose={() => setDialog(null)}
          onOk={async (reason) => {
            await act.mutateAsync({ action: 'dispute', body: { reason } });
            message.success('已退回调度台');
            setDialog(null);
          }}
        />
      )}
      {dialog === 'refuse' && (
        <ReasonModal
          title={`不同意延期 ${order.code}`}
          okText="不同意"
          danger
          label="说明（部门可见）"
          busy={act.isPending}
          onClose={() => setDialog(null)}
          onOk={async (note) => {
            await act.mutateAsync({ action: 'extension/refuse', body: { note } });
            message.success('已告知部门按原时限办结');
            setDialog(null);
          }}
        />
      )}
    </>
  );
}
