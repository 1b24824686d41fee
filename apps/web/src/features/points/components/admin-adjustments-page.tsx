import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Segmented, Space, Table, Tag, Typography } from 'antd';
import { ZAdjustBody, type AdjustmentDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useAdjustments, useDecideAdjustment, useRequestAdjustment } from '../api/points-api';
import './points.css';

const STATUS: Record<AdjustmentDto['status'], { label: string; color: string }> = {
  pending: { label: '待审批', color: 'processing' },
  approved: { label: '已通过', color: 'success' },
  rejected: { label: '已驳回', color: 'default' },
};

function RequestForm() {
  const [form] = Form.useForm<{ phone?: string; orgId?: string; delta?: number; reason?: string }>();
  const { message } = App.useApp();
  const request = useRequestAdjustment();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    if (!v.orgId) {
      form.setFields([{ name: ['orgId'], errors: ['请选择阵地'] }]);
      return;
    }
    const body = validateForm(form, ZAdjustBody, { phone: v.phone?.trim() ?? '', orgId: v.orgId, delta: v.delta, reason: v.reason ?? '' });
    if (!body) return;
    try {
      await request.mutateAsync(body);
      message.success('已提交，等待另一位管理员审批');
      form.resetFields();
    } catch (e) {
      setFormError(applyApiError(form, e, ['phone', 'orgId', 'delta', 'reason']));
    }
  };
  return (
    <Card title="申请调整积分" style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">
        如垃圾分类、文明家庭评选等线下获得的积分，或更正错误。提交后须由本辖区另一位管理员审批才会生效，全程记入操作日志。
      </Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="inline" name="adjust" onValuesChange={clearErrorsOnChange(form)} onFinish={() => void submit()} style={{ rowGap: 12 }}>
        <Form.Item name="phone" label="手机号" required>
          <Input maxLength={11} placeholder="兑换人的注册手机号" style={{ width: 170 }} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="orgId" label="阵地" required>
          <OrgSearchSelect style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="delta" label="增减积分" required>
          <InputNumber precision={0} min={-100000} max={100000} placeholder="负数为扣减" style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="reason" label="原因" required>
          <Input maxLength={500} placeholder="如：垃圾分类积极分子" style={{ width: 240 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={request.isPending} data-testid="adjust-submit">
            提交审批
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** 积分调整: manual adjustments with a second person's approval. */
export function AdminAdjustmentsPage({ canManage }: { canManage: boolean }) {
  useDocumentTitle('积分调整');
  const { message } = App.useApp();
  const [view, setView] = useState<'pending' | 'all'>('pending');
  const q = useAdjustments(view);
  const decide = useDecideAdjustment();
  const act = async (a: AdjustmentDto, approve: boolean) => {
    try {
      await decide.mutateAsync({ id: a.id, approve });
      message.success(approve ? '已通过，积分已入账' : '已驳回');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div>
      <PageHeader title="积分调整" description="手工增减积分须两人办理：一人申请、另一人审批。" />
      {canManage && <RequestForm />}
      <Card>
        <Segmented
          value={view}
          onChange={(v) => setView(v as 'pending' | 'all')}
          options={[
            { value: 'pending', label: '待审批' },
            { value: 'all', label: '全部' },
          ]}
          style={{ marginBottom: 16 }}
        />
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<AdjustmentDto>
            rowKey="id"
            loading={q.isPending}
            dataSource={q.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 1300 }}
            locale={{ emptyText: view === 'pending' ? '没有待审批的调整' : '没有调整记录' }}
            data-testid="adjustments-table"
            columns={[
              { title: '申请时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
              { title: '对象', key: 'user', width: 170, render: (_: unknown, a) => `${a.userName ?? '—'} ${a.userPhone ?? ''}` },
              {
                title: '增减',
                dataIndex: 'delta',
                width: 80,
                align: 'right',
                render: (d: number) => (
                  <Typography.Text type={d > 0 ? 'success' : 'danger'} strong>
                    {d > 0 ? `+${d}` : d}
                  </Typography.Text>
                ),
              },
              { title: '原因', dataIndex: 'reason', width: 220, ellipsis: true },
              { title: '阵地', dataIndex: 'orgName', width: 200, ellipsis: true },
              { title: '申请人', dataIndex: 'requestedByName', width: 110 },
              { title: '状态', dataIndex: 'status', width: 90, render: (s: AdjustmentDto['status']) => <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag> },
              {
                title: '审批人',
                key: 'decided',
                width: 150,
                render: (_: unknown, a) => (a.decidedByName ? `${a.decidedByName} ${formatDateTime(a.decidedAt).slice(5)}` : '—'),
              },
              {
                title: '操作',
                key: 'op',
                width: 140,
                fixed: 'right',
                render: (_: unknown, a) =>
                  a.allowedActions.length ? (
                    <Space size={4}>
                      <Button size="small" type="primary" onClick={() => void act(a, true)} loading={decide.isPending} data-testid="adjust-approve">
                        通过
                      </Button>
                      <Button size="small" danger onClick={() => void act(a, false)} loading={decide.isPending}>
                        驳回
                      </Button>
                    </Space>
                  ) : a.status === 'pending' ? (
                    <Typography.Text type="secondary">待他人审批</Typography.Text>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
