import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { URGENCY_NAMES, ZServiceItemBody } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { useCategories, useCategoryName } from '../../../lib/categories';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateServiceItem, useRetireServiceItem, useScopeItems, useTeamOptions, type ServiceItemDto } from '../api/service-items-api';

interface Values {
  orgId?: string;
  name?: string;
  category?: string;
  description?: string;
  defaultUrgency?: ServiceItemDto['defaultUrgency'];
  teamIds?: string[];
}

function CreateItemModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const create = useCreateServiceItem();
  const categories = useCategories();
  const orgId = Form.useWatch('orgId', form);
  const teams = useTeamOptions(undefined);
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const missing = (['orgId', 'category'] as const).filter((k) => !v[k]);
    if (missing.length) {
      form.setFields(missing.map((k) => ({ name: [k], errors: [k === 'orgId' ? '请选择阵地' : '请选择服务类别'] })));
      return;
    }
    const body = validateForm(form, ZServiceItemBody, {
      ...v,
      name: v.name ?? '',
      description: v.description?.trim() || undefined,
      teamIds: v.teamIds?.length ? v.teamIds : undefined,
    });
    if (!body) return;
    try {
      const i = await create.mutateAsync(body);
      message.success(`已上架「${i.name}」`);
      form.resetFields();
      onClose();
    } catch (e) {
      setFormError(applyApiError(form, e, ['orgId', 'name', 'category', 'description', 'defaultUrgency', 'teamIds']));
    }
  };
  return (
    <Modal
      open={open}
      title="新增服务项目"
      okText="上架"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={560}
    >
      <Typography.Paragraph type="secondary">服务项目显示在本阵地及所有下级社区居民的“服务菜单”里，居民点一项即可下单。</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="create-service-item"
        onValuesChange={clearErrorsOnChange(form)}
        onFinish={() => void submit()}
        initialValues={{ defaultUrgency: 'normal' }}
      >
        <Form.Item name="orgId" label="提供阵地" required>
          <OrgSearchSelect />
        </Form.Item>
        <Form.Item name="name" label="项目名称" required>
          <Input maxLength={100} placeholder="如：上门理发、法律咨询、家电维修" />
        </Form.Item>
        <Space size={12} style={{ display: 'flex' }} wrap>
          <Form.Item name="category" label="服务类别" required>
            <Select style={{ width: 200 }} placeholder="选择类别" options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))} />
          </Form.Item>
          <Form.Item name="defaultUrgency" label="默认紧急程度">
            <Select style={{ width: 140 }} options={Object.entries(URGENCY_NAMES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Space>
        <Form.Item name="description" label="服务说明">
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} placeholder="服务内容、时间、对象等" />
        </Form.Item>
        <Form.Item name="teamIds" label="承接队伍" extra={orgId ? '派单时优先推荐这些队伍' : undefined}>
          <Select
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="可不选"
            loading={teams.isPending}
            options={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.name}（${t.orgName}）` }))}
          />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

/** 服务菜单 (菜篮子): the items residents can order, per site; add and retire. */
export function ServiceItemsPage({ canManage }: { canManage: boolean }) {
  useDocumentTitle('服务菜单');
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [showRetired, setShowRetired] = useState(false);
  const q = useScopeItems();
  const retire = useRetireServiceItem();
  const categoryName = useCategoryName();
  const rows = (q.data ?? []).filter((i) => showRetired || i.status === 'active');
  return (
    <div>
      <PageHeader
        title="服务菜单"
        description="“菜篮子”式服务项目：居民在手机首页点选下单，派单时优先推荐承接队伍。"
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新增服务项目
            </Button>
          )
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }}>
          <Select
            value={showRetired ? 'all' : 'active'}
            onChange={(v) => setShowRetired(v === 'all')}
            style={{ width: 140 }}
            options={[
              { value: 'active', label: '仅看在架' },
              { value: 'all', label: '含已下架' },
            ]}
          />
        </Space>
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<ServiceItemDto>
            rowKey="id"
            loading={q.isPending}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: '暂无服务项目' }}
            columns={[
              { title: '项目名称', dataIndex: 'name', width: 180, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
              { title: '类别', dataIndex: 'category', width: 120, render: (c: string) => categoryName(c) },
              { title: '说明', dataIndex: 'description', ellipsis: true, render: (d: string | null) => d ?? '—' },
              { title: '提供阵地', dataIndex: 'orgName', width: 240, ellipsis: true },
              { title: '承接队伍', dataIndex: 'teamIds', width: 90, render: (t: string[]) => (t.length ? `${t.length} 支` : '—') },
              { title: '默认紧急', dataIndex: 'defaultUrgency', width: 90, render: (u: ServiceItemDto['defaultUrgency']) => URGENCY_NAMES[u] },
              {
                title: '状态',
                dataIndex: 'status',
                width: 80,
                render: (s: ServiceItemDto['status']) => (s === 'active' ? <Tag color="success">在架</Tag> : <Tag>已下架</Tag>),
              },
              ...(canManage
                ? [
                    {
                      title: '操作',
                      key: 'op',
                      width: 90,
                      fixed: 'right' as const,
                      render: (_: unknown, i: ServiceItemDto) =>
                        i.status === 'active' && (
                          <Popconfirm
                            title={`下架「${i.name}」？`}
                            description="下架后居民不能再点这一项，已有工单不受影响。"
                            okText="下架"
                            okButtonProps={{ danger: true }}
                            cancelText="取消"
                            onConfirm={async () => {
                              try {
                                await retire.mutateAsync(i.id);
                                message.success('已下架');
                              } catch (e) {
                                message.error(errorMessage(e));
                              }
                            }}
                          >
                            <Button size="small" danger type="link">
                              下架
                            </Button>
                          </Popconfirm>
                        ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      <CreateItemModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
