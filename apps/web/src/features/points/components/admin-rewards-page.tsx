import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ZCreateRewardBody, type RewardDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PhotoUpload } from '../../../components/photo-upload';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { localInputToIso } from '../../../lib/format';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateReward, useRewardAction, useScopeRewards } from '../api/points-api';
import { RewardCover, windowText } from './points-format';
import './points.css';

interface Values {
  orgId?: string;
  pickupOrgId?: string;
  name?: string;
  description?: string;
  cost?: number;
  stock?: number;
  perUserLimit?: number;
  availableFrom?: string;
  availableTo?: string;
  photoIds?: string[];
}

function CreateRewardModal({ onClose }: { onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const create = useCreateReward();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    if (!v.orgId) {
      form.setFields([{ name: ['orgId'], errors: ['请选择爱心超市所在阵地'] }]);
      return;
    }
    const body = validateForm(form, ZCreateRewardBody, {
      orgId: v.orgId,
      pickupOrgId: v.pickupOrgId || undefined,
      name: v.name ?? '',
      description: v.description?.trim() || undefined,
      cost: v.cost,
      stock: v.stock,
      perUserLimit: v.perUserLimit ?? undefined,
      availableFrom: localInputToIso(v.availableFrom),
      availableTo: localInputToIso(v.availableTo),
      photoIds: v.photoIds?.length ? v.photoIds : undefined,
    });
    if (!body) return;
    try {
      const r = await create.mutateAsync(body);
      message.success(`已上架「${r.name}」`);
      onClose();
    } catch (e) {
      setFormError(
        applyApiError(form, e, ['orgId', 'pickupOrgId', 'name', 'description', 'cost', 'stock', 'perUserLimit', 'availableFrom', 'availableTo', 'photoIds']),
      );
    }
  };
  return (
    <Modal
      open
      title="上架奖品"
      okText="上架"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">奖品在本阵地及所有下级阵地的志愿者、居民手机上的“积分商城”里展示，凭积分兑换、凭取货码领取。</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="create-reward" onValuesChange={clearErrorsOnChange(form)} onFinish={() => void submit()}>
        <Form.Item name="photoIds" label="奖品图片" extra="第一张作为封面，最多 6 张">
          <PhotoUpload max={6} />
        </Form.Item>
        <Space size={12} style={{ display: 'flex' }} wrap>
          <Form.Item name="orgId" label="爱心超市所在阵地" required style={{ width: 290 }}>
            <OrgSearchSelect />
          </Form.Item>
          <Form.Item name="pickupOrgId" label="取货地点" extra="不选则在所在阵地领取" style={{ width: 290 }}>
            <OrgSearchSelect allowClear placeholder="本阵地或其下级" />
          </Form.Item>
        </Space>
        <Form.Item name="name" label="奖品名称" required>
          <Input maxLength={100} placeholder="如：食用油 5L、洗衣液、保温杯" />
        </Form.Item>
        <Form.Item name="description" label="说明">
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 4 }} placeholder="规格、品牌、领取须知" />
        </Form.Item>
        <Space size={12} wrap>
          <Form.Item name="cost" label="所需积分" required>
            <InputNumber min={1} max={1000000} precision={0} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="stock" label="库存（件）" required>
            <InputNumber min={0} max={1000000} precision={0} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="perUserLimit" label="每人每月限兑" extra="不填不限">
            <InputNumber min={1} max={1000} precision={0} style={{ width: 130 }} />
          </Form.Item>
        </Space>
        <Space size={12} wrap>
          <Form.Item name="availableFrom" label="兑换开始">
            <Input type="datetime-local" style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="availableTo" label="兑换截止">
            <Input type="datetime-local" style={{ width: 220 }} />
          </Form.Item>
        </Space>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

function RestockModal({ reward, onClose }: { reward: RewardDto; onClose: () => void }) {
  const { message } = App.useApp();
  const act = useRewardAction();
  const [add, setAdd] = useState<number | null>(10);
  return (
    <Modal
      open
      title={`补货：${reward.name}`}
      okText="补货"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={act.isPending}
      okButtonProps={{ disabled: !add || add < 1 }}
      onOk={async () => {
        try {
          const r = await act.mutateAsync({ id: reward.id, action: 'restock', add: add ?? 0 });
          message.success(`已补货，当前库存 ${r.stock} 件`);
          onClose();
        } catch (e) {
          message.error(errorMessage(e));
        }
      }}
    >
      <Space>
        当前库存 <b>{reward.stock}</b> 件，增加
        <InputNumber min={1} max={1000000} precision={0} value={add} onChange={setAdd} autoFocus data-testid="restock-add" />件
      </Space>
    </Modal>
  );
}

/** 爱心超市 · 奖品管理: list, add with pictures, restock, retire. */
export function AdminRewardsPage({ canManage }: { canManage: boolean }) {
  useDocumentTitle('奖品管理');
  const { message } = App.useApp();
  const [orgId, setOrgId] = useState<string | undefined>();
  const [status, setStatus] = useState<'active' | 'all'>('active');
  const [creating, setCreating] = useState(false);
  const [restocking, setRestocking] = useState<RewardDto | null>(null);
  const q = useScopeRewards(orgId);
  const act = useRewardAction();
  const rows = (q.data ?? []).filter((r) => status === 'all' || r.status === 'active');
  return (
    <div>
      <PageHeader
        title="奖品管理"
        description="以行积分、以分换物：爱心超市的奖品、库存和兑换规则。"
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="reward-new">
              上架奖品
            </Button>
          )
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <OrgSearchSelect value={orgId} onChange={(id) => setOrgId(id)} allowClear placeholder="全部阵地（可选择某一阵地）" style={{ width: 320 }} />
          <Select
            value={status}
            onChange={setStatus}
            style={{ width: 140 }}
            options={[
              { value: 'active', label: '仅看在售' },
              { value: 'all', label: '含已下架' },
            ]}
          />
        </Space>
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<RewardDto>
            rowKey="id"
            loading={q.isPending}
            dataSource={rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 1100 }}
            locale={{ emptyText: '还没有奖品，点“上架奖品”添加' }}
            data-testid="reward-table"
            columns={[
              {
                title: '奖品',
                dataIndex: 'name',
                width: 260,
                render: (_: string, r) => (
                  <Space>
                    <RewardCover reward={r} className="reward-thumb" />
                    <span>
                      <Typography.Text strong>{r.name}</Typography.Text>
                      {r.description && (
                        <Typography.Paragraph type="secondary" ellipsis={{ rows: 1 }} style={{ margin: 0, maxWidth: 190 }}>
                          {r.description}
                        </Typography.Paragraph>
                      )}
                    </span>
                  </Space>
                ),
              },
              { title: '所需积分', dataIndex: 'cost', width: 90, align: 'right' },
              {
                title: '库存',
                dataIndex: 'stock',
                width: 80,
                align: 'right',
                render: (s: number) => (s === 0 ? <Typography.Text type="danger">0</Typography.Text> : s),
              },
              { title: '每人每月', dataIndex: 'perUserLimit', width: 90, render: (l: number | null) => (l ? `限 ${l} 件` : '不限') },
              { title: '兑换期', key: 'window', width: 150, render: (_: unknown, r) => windowText(r) ?? '长期' },
              { title: '所在阵地', dataIndex: 'orgName', width: 220, ellipsis: true },
              { title: '取货地点', dataIndex: 'pickupOrgName', width: 220, ellipsis: true },
              {
                title: '状态',
                dataIndex: 'status',
                width: 80,
                render: (s: RewardDto['status']) => (s === 'active' ? <Tag color="success">在售</Tag> : <Tag>已下架</Tag>),
              },
              {
                title: '操作',
                key: 'op',
                width: 130,
                fixed: 'right',
                render: (_: unknown, r) => (
                  <Space size={4}>
                    {r.allowedActions.includes('restock') && (
                      <Button size="small" onClick={() => setRestocking(r)}>
                        补货
                      </Button>
                    )}
                    {r.allowedActions.includes('retire') && (
                      <Popconfirm
                        title={`下架「${r.name}」？`}
                        description="下架后不能再兑换；已兑换未领取的仍可凭码领取。"
                        okText="下架"
                        okButtonProps={{ danger: true }}
                        cancelText="取消"
                        onConfirm={async () => {
                          try {
                            await act.mutateAsync({ id: r.id, action: 'retire' });
                            message.success('已下架');
                          } catch (e) {
                            message.error(errorMessage(e));
                          }
                        }}
                      >
                        <Button size="small" danger>
                          下架
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      {creating && <CreateRewardModal onClose={() => setCreating(false)} />}
      {restocking && <RestockModal reward={restocking} onClose={() => setRestocking(null)} />}
    </div>
  );
}
