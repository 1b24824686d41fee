import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { CategoryAdminDto } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { applyApiError } from '../../../lib/form-errors';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateCategory, useManagedCategories, useUpdateCategory } from '../api/categories-api';

interface FormValues {
  code?: string;
  name: string;
  nameEn?: string;
  sort?: number;
  keywords?: string[];
}

/** 服务类别: the "8+N" categories; the super admin adds the N and edits names, order and triage keywords (issue 18). */
export function CategoriesPage() {
  useDocumentTitle('服务类别');
  const q = useManagedCategories();
  const [editing, setEditing] = useState<CategoryAdminDto | 'new' | null>(null);
  return (
    <div>
      <PageHeader
        title="服务类别"
        description="“8+N”服务菜单：8 个内置类别之外可新增自定义类别。关键词用于智能研判，保存后立即重新训练，群众点单时按关键词识别到该类别。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="category-new">
            新增类别
          </Button>
        }
      />
      <Card>
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<CategoryAdminDto>
            rowKey="code"
            loading={q.isPending}
            dataSource={q.data ?? []}
            pagination={false}
            scroll={{ x: 900 }}
            data-testid="categories-table"
            columns={[
              { title: '排序', dataIndex: 'sort', width: 70 },
              { title: '名称', dataIndex: 'name', width: 160, render: (n: string) => <b>{n}</b> },
              { title: '代码', dataIndex: 'code', width: 130, render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
              {
                title: '类型',
                dataIndex: 'builtin',
                width: 90,
                render: (b: boolean) => (b ? <Tag>内置</Tag> : <Tag color="blue">自定义</Tag>),
              },
              {
                title: '研判关键词',
                dataIndex: 'keywords',
                render: (ks: string[]) =>
                  ks.length ? (
                    <span>
                      {ks.map((k) => (
                        <Tag key={k} style={{ marginBottom: 4 }}>
                          {k}
                        </Tag>
                      ))}
                    </span>
                  ) : (
                    <Typography.Text type="secondary">暂无（使用内置语料）</Typography.Text>
                  ),
              },
              {
                title: '操作',
                key: 'actions',
                width: 90,
                render: (_: unknown, c) => (
                  <Button size="small" onClick={() => setEditing(c)} data-testid={`category-edit-${c.code}`}>
                    编辑
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      {editing && <CategoryModal category={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function CategoryModal({ category, onClose }: { category: CategoryAdminDto | null; onClose: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const { message } = App.useApp();
  const create = useCreateCategory();
  const update = useUpdateCategory();
  const [error, setError] = useState<string | null>(null);
  const busy = create.isPending || update.isPending;
  const submit = async (v: FormValues) => {
    setError(null);
    try {
      const keywords = v.keywords ?? [];
      if (category) {
        await update.mutateAsync({ code: category.code, body: { name: v.name, nameEn: v.nameEn || undefined, sort: v.sort, keywords } });
        message.success(`已保存“${v.name}”，智能研判已按新关键词重新训练`);
      } else {
        await create.mutateAsync({ code: v.code ?? '', name: v.name, nameEn: v.nameEn || undefined, sort: v.sort, keywords });
        message.success(`已新增服务类别“${v.name}”`);
      }
      onClose();
    } catch (e) {
      setError(applyApiError(form, e, ['code', 'name', 'nameEn', 'sort', 'keywords']));
    }
  };
  return (
    <Modal
      open
      title={category ? `编辑服务类别：${category.name}` : '新增服务类别'}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={category ? { name: category.name, nameEn: category.nameEn, sort: category.sort, keywords: category.keywords } : { keywords: [] }}
        onFinish={(v) => void submit(v)}
      >
        {!category && (
          <Form.Item
            name="code"
            label="类别代码"
            extra="小写字母开头，可含数字和下划线，保存后不能修改，如 household"
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/, message: '请填写 2–40 位小写字母、数字或下划线' }]}
          >
            <Input placeholder="例如 ceremony" data-testid="category-code" />
          </Form.Item>
        )}
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, max: 20, message: '请填写名称（最多20个字）' }]}>
          <Input placeholder="例如 红白理事" data-testid="category-name" />
        </Form.Item>
        <Form.Item name="nameEn" label="英文名称（可选）">
          <Input />
        </Form.Item>
        <Form.Item name="sort" label="排序（越小越靠前）">
          <InputNumber min={1} max={999} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="keywords" label="研判关键词" extra="群众诉求中出现这些词时，智能研判倾向于该类别；回车添加">
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} placeholder="例如 红白理事会、婚事简办" open={false} data-testid="category-keywords" />
        </Form.Item>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Form>
    </Modal>
  );
}
