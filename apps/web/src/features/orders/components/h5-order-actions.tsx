import { useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Spin, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, PlayCircleOutlined, FlagOutlined, StopOutlined, SolutionOutlined } from '@ant-design/icons';
import { ZCompleteBody } from '@wenming/contracts';
import { errorMessage } from '../../../lib/api-client';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useOrderAction, useTeamMembers, type OrderAction, type OrderDto } from '../api/orders-api';

type Dialog = null | 'accept' | 'decline' | 'complete' | 'resolve';

/**
 * The buttons a resident, volunteer, team leader or department officer has on an order, drawn
 * from `allowedActions`: 接单 (a leader names who serves), 婉拒, 开始服务, 完成服务, 办结, 取消.
 */
export function H5OrderActions({ order, size = 'large' }: { order: OrderDto; size?: 'large' | 'middle' }) {
  const { message, modal } = App.useApp();
  const act = useOrderAction(order.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const can = (a: OrderAction) => order.allowedActions.includes(a);

  const run = async (action: OrderAction, body: unknown, done: string) => {
    try {
      await act.mutateAsync({ action, body });
      message.success(done);
      setDialog(null);
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  };

  const buttons = [
    can('accept') && (
      <Button
        key="accept"
        type="primary"
        size={size}
        icon={<CheckOutlined />}
        onClick={() => (order.assignee.teamId ? setDialog('accept') : void run('accept', {}, '已接单'))}
        loading={act.isPending && act.variables?.action === 'accept'}
        data-testid="task-accept"
      >
        接单
      </Button>
    ),
    can('decline') && (
      <Button key="decline" size={size} icon={<CloseOutlined />} onClick={() => setDialog('decline')} data-testid="task-decline">
        婉拒
      </Button>
    ),
    can('start') && (
      <Button
        key="start"
        type="primary"
        size={size}
        icon={<PlayCircleOutlined />}
        onClick={() => void run('start', {}, '已开始服务')}
        loading={act.isPending && act.variables?.action === 'start'}
        data-testid="task-start"
      >
        开始服务
      </Button>
    ),
    can('complete') && (
      <Button key="complete" type="primary" size={size} icon={<FlagOutlined />} onClick={() => setDialog('complete')} data-testid="task-complete">
        完成服务
      </Button>
    ),
    can('resolve') && (
      <Button key="resolve" type="primary" size={size} icon={<SolutionOutlined />} onClick={() => setDialog('resolve')} data-testid="task-resolve">
        答复办结
      </Button>
    ),
    can('cancel') && (
      <Button
        key="cancel"
        size={size}
        danger
        icon={<StopOutlined />}
        data-testid="order-cancel"
        onClick={() =>
          modal.confirm({
            title: '取消这个工单？',
            content: '取消后实践中心将不再处理，如仍需帮助可以重新点单。',
            okText: '确认取消',
            okButtonProps: { danger: true },
            cancelText: '再想想',
            onOk: () => run('cancel', {}, '工单已取消'),
          })
        }
      >
        取消工单
      </Button>
    ),
  ].filter(Boolean);

  if (!buttons.length) return null;
  return (
    <>
      <div className="h5-actions">{buttons}</div>
      {dialog === 'accept' && (
        <AcceptDialog order={order} onClose={() => setDialog(null)} onAccept={(ids) => run('accept', { volunteerIds: ids }, '已接单')} busy={act.isPending} />
      )}
      {dialog === 'decline' && (
        <ReasonDialog
          title="婉拒这个工单"
          label="婉拒原因"
          placeholder="如：时间冲突、距离太远，工单会退回中心重新派单"
          okText="婉拒"
          busy={act.isPending}
          onClose={() => setDialog(null)}
          onOk={(reason) => run('decline', { reason }, '已婉拒，工单已退回中心')}
        />
      )}
      {dialog === 'resolve' && (
        <ReasonDialog
          title="答复办结"
          label="办理答复"
          placeholder="向群众说明办理结果"
          okText="办结"
          field="reply"
          busy={act.isPending}
          onClose={() => setDialog(null)}
          onOk={(reply) => run('resolve', { reply }, '已办结')}
        />
      )}
      {dialog === 'complete' && (
        <CompleteDialog busy={act.isPending} onClose={() => setDialog(null)} onOk={(body) => act.mutateAsync({ action: 'complete', body })} />
      )}
    </>
  );
}

function AcceptDialog({
  order,
  onClose,
  onAccept,
  busy,
}: {
  order: OrderDto;
  onClose: () => void;
  onAccept: (ids: string[]) => Promise<boolean>;
  busy: boolean;
}) {
  const team = useTeamMembers(order.assignee.teamId);
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const active = (team.data?.members ?? []).filter((m) => m.status === 'active');
  return (
    <Modal
      open
      title={`接单：选择参加服务的队员`}
      okText={picked.length ? `接单（${picked.length}人）` : '接单'}
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={busy}
      onOk={() => {
        if (!picked.length) {
          setError('请至少选择一名队员');
          return;
        }
        void onAccept(picked);
      }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{order.assignee.teamName}：勾选本次上门服务的队员，服务完成后为他们记录时长。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {team.isPending ? (
        <Spin />
      ) : team.isError ? (
        <Alert type="error" showIcon title={errorMessage(team.error)} />
      ) : active.length === 0 ? (
        <Alert type="warning" showIcon title="队伍里还没有可以服务的队员" />
      ) : (
        <Checkbox.Group
          className="h5-member-pick"
          value={picked}
          onChange={(v) => {
            setPicked(v as string[]);
            setError(null);
          }}
          options={active.map((m) => ({ value: m.volunteerId, label: `${m.realName}（累计 ${m.totalHours} 小时）` }))}
        />
      )}
    </Modal>
  );
}

function ReasonDialog(props: {
  title: string;
  label: string;
  placeholder: string;
  okText: string;
  field?: string;
  busy: boolean;
  onClose: () => void;
  onOk: (text: string) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open
      title={props.title}
      okText={props.okText}
      cancelText="取消"
      onCancel={props.onClose}
      confirmLoading={props.busy}
      onOk={() => {
        if (!text.trim()) {
          setError(`请填写${props.label}`);
          return;
        }
        void props.onOk(text.trim());
      }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={props.label} required validateStatus={error ? 'error' : undefined} help={error}>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={props.field === 'reply' ? 2000 : 500}
            showCount
            placeholder={props.placeholder}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            data-testid="reason-input"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CompleteDialog({
  busy,
  onClose,
  onOk,
}: {
  busy: boolean;
  onClose: () => void;
  onOk: (body: { report: string; hours: number; peopleServed?: number }) => Promise<unknown>;
}) {
  const [form] = Form.useForm<{ report?: string; hours?: number | null; peopleServed?: number | null }>();
  const { message } = App.useApp();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const body = validateForm(form, ZCompleteBody, { report: v.report ?? '', hours: v.hours ?? undefined, peopleServed: v.peopleServed ?? undefined });
    if (!body) return;
    try {
      await onOk(body);
      message.success('服务已完成，时长待审核后计入');
      onClose();
    } catch (e) {
      setFormError(applyApiError(form, e, ['report', 'hours', 'peopleServed']));
    }
  };
  return (
    <Modal open title="完成服务" okText="提交" cancelText="取消" onCancel={onClose} confirmLoading={busy} onOk={() => void submit()} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onValuesChange={clearErrorsOnChange(form)} onFinish={() => void submit()} name="complete-order">
        <Form.Item name="report" label="服务情况" required>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={2000}
            showCount
            placeholder="做了什么、群众的反馈、需要中心跟进的事"
            data-testid="complete-report"
          />
        </Form.Item>
        <Form.Item name="hours" label="服务时长（小时）" required extra="每人的服务时长，最多 24 小时，审核通过后计入志愿时长">
          <InputNumber min={0.1} max={24} step={0.5} precision={1} style={{ width: '100%' }} inputMode="decimal" data-testid="complete-hours" />
        </Form.Item>
        <Form.Item name="peopleServed" label="服务人次" extra="本次服务惠及的群众人数，不填按 1 人次">
          <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} inputMode="numeric" placeholder="1" data-testid="complete-served" />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
