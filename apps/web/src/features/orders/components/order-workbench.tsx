import { useEffect, useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Select, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { BankOutlined, ExclamationCircleOutlined, RollbackOutlined, SendOutlined, SwapOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { NATURE_NAMES, URGENCY_NAMES } from '@wenming/contracts';
import { QueryError } from '../../../components/query-error';
import { ReasonModal } from '../../../components/reason-modal';
import { errorMessage } from '../../../lib/api-client';
import { useCategories, useCategoryName } from '../../../lib/categories';
import { formatDateTime, formatHours } from '../../../lib/format';
import { useCandidates, useDepartmentsOf, useOrder, useOrderAction, type Nature, type OrderDto, type Urgency } from '../api/orders-api';
import { DeptActions } from './dept-actions';
import { H5OrderActions } from './h5-order-actions';
import { RatingStars } from './h5-rate-form';
import { NatureTag, OrderStateTag, UrgencyTag } from './order-tags';
import { OrderTimeline } from './order-timeline';
import { SlaCountdown } from './sla-countdown';
import { channelLabel, OrderPhotos } from './order-photos';
import { whoServes } from './order-format';
import './orders.css';

const WAITING = new Set(['submitted', 'dispatched']);
const STAGE_LABELS: Record<string, string> = {
  forwarded: '签收时限',
  acknowledged: '办理时限',
  extension_requested: '办理时限',
  accepted: '完成时限',
  in_service: '完成时限',
};

function Triage({ order }: { order: OrderDto }) {
  const { message } = App.useApp();
  const categories = useCategories();
  const categoryName = useCategoryName();
  const act = useOrderAction(order.id);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState({ category: order.category, nature: order.nature, urgency: order.urgency });
  useEffect(() => setDraft({ category: order.category, nature: order.nature, urgency: order.urgency }), [order.category, order.nature, order.urgency]);
  const t = order.triage;
  const editable = order.state === 'submitted' && order.allowedActions.includes('dispatch');
  const save = async () => {
    try {
      await act.mutateAsync({ action: 'triage', body: draft });
      message.success('已修正研判结果');
      setEditing(false);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div data-testid="triage">
      {t?.lowConfidence && order.state === 'submitted' && (
        <Alert
          type="warning"
          showIcon
          icon={<ExclamationCircleOutlined />}
          title="置信度低，请人工确认"
          description="系统对这条诉求的分类把握不大，请核对类别、性质和紧急程度后再派单。"
          style={{ marginBottom: 12 }}
          data-testid="low-confidence"
        />
      )}
      {editing ? (
        <Space wrap>
          <Select
            value={draft.category}
            onChange={(category) => setDraft({ ...draft, category })}
            style={{ width: 150 }}
            options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            aria-label="服务类别"
          />
          <Select
            value={draft.nature}
            onChange={(nature: Nature) => setDraft({ ...draft, nature })}
            style={{ width: 110 }}
            options={Object.entries(NATURE_NAMES).map(([value, label]) => ({ value, label }))}
            aria-label="性质"
          />
          <Select
            value={draft.urgency}
            onChange={(urgency: Urgency) => setDraft({ ...draft, urgency })}
            style={{ width: 100 }}
            options={Object.entries(URGENCY_NAMES).map(([value, label]) => ({ value, label }))}
            aria-label="紧急程度"
          />
          <Button type="primary" onClick={() => void save()} loading={act.isPending}>
            保存
          </Button>
          <Button onClick={() => setEditing(false)}>取消</Button>
        </Space>
      ) : (
        <div className="triage-row">
          <span>
            类别：<Tag color="volcano">{categoryName(order.category)}</Tag>
          </span>
          <span>
            性质：
            <NatureTag nature={order.nature} />
          </span>
          <span>
            紧急程度：
            <UrgencyTag urgency={order.urgency} />
          </span>
          {t && (
            <Tooltip title={`智能研判：${categoryName(t.category)} · ${NATURE_NAMES[t.nature]} · ${URGENCY_NAMES[t.urgency]}`}>
              <Typography.Text type={t.lowConfidence ? 'warning' : 'secondary'} data-testid="triage-confidence">
                研判置信度 {Math.round(t.confidence * 100)}%
              </Typography.Text>
            </Tooltip>
          )}
          {editable && (
            <Button size="small" onClick={() => setEditing(true)} data-testid="triage-edit">
              修正
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

function Candidates({ order }: { order: OrderDto }) {
  const { message } = App.useApp();
  const reassigning = order.allowedActions.includes('reassign');
  const q = useCandidates(order.id, order.allowedActions.includes('dispatch') || reassigning);
  const act = useOrderAction(order.id);
  const [busy, setBusy] = useState<string | null>(null);
  const [reassignTo, setReassignTo] = useState<{ kind: 'team' | 'volunteer'; id: string; name: string } | null>(null);
  if (!order.allowedActions.includes('dispatch') && !reassigning) return null;
  const current = order.assignee.teamId ?? order.assignee.volunteerId;
  const dispatch = async (kind: 'team' | 'volunteer' | 'department', id: string, name: string) => {
    // 改派 (after dispatch, before acceptance) asks for the reason first.
    if (reassigning) {
      if (kind !== 'department') setReassignTo({ kind, id, name });
      return;
    }
    setBusy(id);
    try {
      // A department from the routing directory (派单目录) is forwarded to, with its own time limits.
      if (kind === 'department') await act.mutateAsync({ action: 'forward', body: { departmentId: id } });
      else await act.mutateAsync({ action: 'dispatch', body: kind === 'team' ? { teamId: id } : { volunteerId: id } });
      message.success(kind === 'department' ? `已转办 ${name}` : `已派单给 ${name}`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card
      size="small"
      title={reassigning ? '改派给其他对象' : '推荐派单对象'}
      extra={<Typography.Text type="secondary">按匹配度排序</Typography.Text>}
      data-testid="candidates"
    >
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="附近暂无匹配的队伍或志愿者，可转办职能部门" />
      ) : (
        <ul className="candidate-list">
          {q.data
            .filter((c) => !reassigning || (c.kind !== 'department' && c.id !== current))
            .map((c) => (
              <li key={`${c.kind}-${c.id}`} className="candidate" data-testid="candidate">
                <div className="candidate-score">
                  {Math.round(c.score)}
                  <small>匹配分</small>
                </div>
                <div className="candidate-body">
                  <div className="candidate-name">
                    {c.kind === 'team' ? <TeamOutlined /> : c.kind === 'department' ? <BankOutlined /> : <UserOutlined />} {c.name}{' '}
                    <Tag color={c.kind === 'team' ? 'blue' : c.kind === 'department' ? 'purple' : 'green'} style={{ marginInlineStart: 4 }}>
                      {c.kind === 'team' ? '队伍' : c.kind === 'department' ? '职能部门' : '志愿者'}
                    </Tag>
                  </div>
                  <div className="candidate-reasons">
                    {c.reasons.map((r) => (
                      <Tag key={r}>{r}</Tag>
                    ))}
                  </div>
                  {c.warning && (
                    <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="candidate-warning">
                      <ExclamationCircleOutlined /> {c.warning}
                    </Typography.Text>
                  )}
                </div>
                <Button
                  type="primary"
                  icon={c.kind === 'department' ? <SwapOutlined /> : <SendOutlined />}
                  loading={busy === c.id}
                  disabled={!!busy && busy !== c.id}
                  onClick={() => void dispatch(c.kind, c.id, c.name)}
                  data-testid={c.kind === 'department' ? 'candidate-forward' : 'candidate-dispatch'}
                >
                  {c.kind === 'department' ? '转办' : reassigning ? '改派' : '派单'}
                </Button>
              </li>
            ))}
        </ul>
      )}
      {reassignTo && (
        <ReasonModal
          title={`改派给 ${reassignTo.name}`}
          okText="改派"
          label="改派原因（原接单方会收到通知）"
          busy={act.isPending}
          onClose={() => setReassignTo(null)}
          onOk={async (reason) => {
            await act.mutateAsync({
              action: 'reassign',
              body: reassignTo.kind === 'team' ? { teamId: reassignTo.id, reason } : { volunteerId: reassignTo.id, reason },
            });
            message.success(`已改派给 ${reassignTo.name}`);
            setReassignTo(null);
          }}
        />
      )}
    </Card>
  );
}

function ForwardDialog({ order, onClose }: { order: OrderDto; onClose: () => void }) {
  const { message } = App.useApp();
  const deps = useDepartmentsOf(undefined);
  const act = useOrderAction(order.id);
  const [departmentId, setDepartmentId] = useState<string>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open
      title={`转办工单 ${order.code}`}
      okText="转办"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={act.isPending}
      destroyOnHidden
      onOk={async () => {
        if (!departmentId) {
          setError('请选择职能部门');
          return;
        }
        try {
          await act.mutateAsync({ action: 'forward', body: { departmentId, note: note.trim() || undefined } });
          message.success('已转办');
          onClose();
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
    >
      <Typography.Paragraph type="secondary">信访、投诉或需要部门办理的事项，转交职能部门答复办结。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="职能部门" required>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            value={departmentId}
            onChange={(v: string) => {
              setDepartmentId(v);
              setError(null);
            }}
            loading={deps.isPending}
            placeholder="选择承办部门"
            notFoundContent={deps.isError ? '加载失败' : '管辖范围内暂无职能部门'}
            options={(deps.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.name}（${d.orgName}）` }))}
            data-testid="forward-department"
          />
        </Form.Item>
        <Form.Item label="转办说明">
          <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} showCount autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 转办 · 退回 · 回访重办: the staff actions besides dispatching, from `allowedActions`. */
export function StaffActions({ order }: { order: OrderDto }) {
  const { message } = App.useApp();
  const act = useOrderAction(order.id);
  const [dialog, setDialog] = useState<null | 'forward' | 'reject' | 'reopen'>(null);
  const can = (a: string) => order.allowedActions.includes(a);
  if (!can('forward') && !can('reject') && !can('reopen')) return null;
  return (
    <>
      <Space wrap>
        {can('forward') && (
          <Button icon={<SwapOutlined />} onClick={() => setDialog('forward')} data-testid="order-forward">
            转办职能部门
          </Button>
        )}
        {can('reject') && (
          <Button danger icon={<RollbackOutlined />} onClick={() => setDialog('reject')} data-testid="order-reject">
            退回
          </Button>
        )}
        {can('reopen') && (
          <Button type="primary" icon={<RollbackOutlined />} onClick={() => setDialog('reopen')} data-testid="order-reopen">
            回访重办
          </Button>
        )}
      </Space>
      {dialog === 'forward' && <ForwardDialog order={order} onClose={() => setDialog(null)} />}
      {dialog === 'reject' && (
        <ReasonModal
          title={`退回工单 ${order.code}`}
          okText="退回"
          danger
          label="退回原因（会告知群众）"
          busy={act.isPending}
          onClose={() => setDialog(null)}
          onOk={async (reason) => {
            await act.mutateAsync({ action: 'reject', body: { reason } });
            message.success('已退回');
            setDialog(null);
          }}
        />
      )}
      {dialog === 'reopen' && (
        <ReasonModal
          title={`回访重办 ${order.code}`}
          okText="重新办理"
          label="回访情况与重办原因"
          busy={act.isPending}
          onClose={() => setDialog(null)}
          onOk={async (reason) => {
            await act.mutateAsync({ action: 'reopen', body: { reason } });
            message.success('工单已重新进入待派单');
            setDialog(null);
          }}
        />
      )}
    </>
  );
}

/**
 * One order for staff: what was asked, the triage (editable while 待派单), the ranked candidates
 * with one-click 派单, 转办 / 退回 / 回访重办, and the timeline. `compact` for the dispatch desk.
 */
export function OrderWorkbench({ orderId, compact, header }: { orderId: string; compact?: boolean; header?: (o: OrderDto) => ReactNode }) {
  const q = useOrder(orderId);
  const categoryName = useCategoryName();
  if (q.isPending)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const o = q.data;
  const serving = whoServes(o);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="order-workbench">
      <Card>
        <div className="page-header" style={{ marginBottom: 0, flexWrap: 'nowrap' }}>
          <div style={{ flex: 1, minWidth: 0 }}>
            <Space size={8} wrap>
              <span className="dispatch-detail-code" data-testid="workbench-code">
                {o.code}
              </span>
              <OrderStateTag state={o.state} />
              <UrgencyTag urgency={o.urgency} />
              {o.escalationLevel > 0 && <Tag color="red">已上报 {o.escalationLevel} 级</Tag>}
            </Space>
            <div style={{ marginTop: 4 }}>
              {WAITING.has(o.state) && <SlaCountdown dueAt={o.acceptDueAt} />}
              {!WAITING.has(o.state) && o.stageDueAt && <SlaCountdown dueAt={o.stageDueAt} />}
              <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
                {o.stageDueAt ? `${STAGE_LABELS[o.state] ?? '办理时限'} ${formatDateTime(o.stageDueAt)}` : `接单时限 ${formatDateTime(o.acceptDueAt)}`} ·
                当前受理：
                {o.handlingOrgName}
              </Typography.Text>
            </div>
          </div>
          {header?.(o)}
        </div>
        <div className="dispatch-content" data-testid="workbench-content">
          {o.title && <b>【{o.title}】</b>}
          {o.content}
          <OrderPhotos order={o} />
        </div>
        <Triage order={o} />
        <Descriptions
          size="small"
          column={compact ? { xs: 1, sm: 2 } : { xs: 1, sm: 2, xl: 3 }}
          style={{ marginTop: 16 }}
          items={[
            { key: 'org', label: '所在社区', children: o.orgName },
            {
              key: 'req',
              label: '点单群众',
              children: `${o.requesterName ?? '—'} ${o.requesterPhone ?? ''}${channelLabel(o) ? `（${channelLabel(o)}）` : ''}`,
            },
            { key: 'addr', label: '服务地址', children: o.address ?? '—' },
            { key: 'pref', label: '希望时间', children: formatDateTime(o.preferredAt) },
            { key: 'at', label: '提交时间', children: formatDateTime(o.createdAt) },
            ...(serving ? [{ key: 'who', label: o.assignee.departmentName ? '承办部门' : '服务人员', children: serving }] : []),
            ...(o.hours !== null ? [{ key: 'hours', label: '服务时长', children: formatHours(o.hours) }] : []),
            ...(!compact ? [{ key: 'cat', label: '类别', children: categoryName(o.category) }] : []),
          ]}
        />
        {o.supervision && <Alert type="error" showIcon title="督办" description={o.supervision.note} style={{ marginTop: 12 }} data-testid="supervision" />}
        {o.extension?.pending && (
          <Alert
            type="warning"
            showIcon
            title={`部门申请延期至 ${formatDateTime(o.extension.until)}`}
            description={o.extension.reason}
            style={{ marginTop: 12 }}
          />
        )}
        {!!o.disputeCount && <Alert type="warning" title={`该工单曾被职能部门退回 ${o.disputeCount} 次（派单异议），详见办理进度`} style={{ marginTop: 12 }} />}
        {o.report && <Alert type="success" title="服务情况" description={o.report} style={{ marginTop: 12 }} />}
        {o.reply && <Alert type="success" title="办理答复" description={o.reply} style={{ marginTop: 12 }} />}
        {o.rejectReason && <Alert type="error" title="退回原因" description={o.rejectReason} style={{ marginTop: 12 }} />}
        {o.rating && (
          <Alert
            type={o.rating.score <= 2 ? 'warning' : 'info'}
            title={
              <span>
                群众评价 <RatingStars score={o.rating.score} />
              </span>
            }
            description={o.rating.comment ?? '（未留言）'}
            style={{ marginTop: 12 }}
          />
        )}
        <div style={{ marginTop: 16, display: 'flex', gap: 8, flexWrap: 'wrap', justifyContent: 'space-between' }}>
          <StaffActions order={o} />
          <DeptActions order={o} />
          <H5OrderActions order={o} size="middle" />
        </div>
      </Card>
      <Candidates order={o} />
      <Card size="small" title="办理进度">
        <OrderTimeline order={o} />
      </Card>
    </Space>
  );
}

export function OrderLink({ id, children }: { id: string; children: ReactNode }) {
  return <Link to={`/admin/orders/${id}`}>{children}</Link>;
}
