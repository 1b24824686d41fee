import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { NATURE_NAMES, URGENCY_NAMES, ZAssistedOrderBody, type TAssistedOrderBody } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PhotoUpload } from '../../../components/photo-upload';
import { useCategories } from '../../../lib/categories';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { uuid } from '../../../lib/uuid';
import { useAssistedOrder, type Nature, type OrderDto, type Urgency } from '../api/orders-api';

interface Values {
  channel?: TAssistedOrderBody['channel'];
  residentName?: string;
  residentPhone?: string;
  orgId?: string;
  content?: string;
  address?: string;
  category?: string;
  nature?: Nature;
  urgency?: Urgency;
}

const FIELDS = ['channel', 'residentName', 'residentPhone', 'orgId', 'content', 'address', 'category', 'nature', 'urgency', 'photoIds'] as const;
const CHANNELS: { value: TAssistedOrderBody['channel']; label: string }[] = [
  { value: 'phone', label: '电话' },
  { value: 'visit', label: '来访' },
  { value: 'grid', label: '网格员' },
  { value: 'hotline', label: '12345 热线' },
];

/**
 * 代点单: a resident phones, walks in, tells their 网格员 or calls 12345, and the desk enters the
 * order for them. Their account is found by phone (or opened without a password: they sign in by
 * SMS code when they wish); the order is theirs — the notices, the rating.
 */
export function AssistedOrderModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated?: (o: OrderDto) => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const create = useAssistedOrder();
  const categories = useCategories();
  const [photos, setPhotos] = useState<string[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  // One key per form: a double click or a retry after a lost answer enters one order.
  const [key, setKey] = useState(uuid);

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const body = validateForm(form, ZAssistedOrderBody, {
      channel: v.channel,
      residentName: v.residentName ?? '',
      residentPhone: v.residentPhone ?? '',
      orgId: v.orgId ?? '',
      content: v.content ?? '',
      address: v.address?.trim() || undefined,
      category: v.category,
      nature: v.nature,
      urgency: v.urgency,
      photoIds: photos.length ? photos : undefined,
    });
    if (!body) return;
    try {
      const o = await create.mutateAsync({ body, key });
      setKey(uuid());
      message.success(`已为${o.requesterName ?? '群众'}登记工单 ${o.code}，办理进展会通知本人`);
      form.resetFields();
      setPhotos([]);
      onCreated?.(o);
      onClose();
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  return (
    <Modal
      open={open}
      title="代点单"
      okText="登记工单"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={create.isPending}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'assisted-submit' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph type="secondary">
        为来电、来访、网格员转报或 12345 热线的群众登记诉求。按手机号找到群众账号，没有的会自动开通；工单属于群众本人，办理进展会通知本人，办结后本人可以评价。
      </Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="assisted-order" onValuesChange={clearErrorsOnChange(form)} initialValues={{ channel: 'phone' }}>
        <Form.Item name="channel" label="来源渠道" required>
          <Radio.Group optionType="button" buttonStyle="solid" options={CHANNELS} data-testid="assisted-channel" />
        </Form.Item>
        <div className="assisted-row">
          <Form.Item name="residentName" label="群众姓名" required>
            <Input maxLength={50} placeholder="如：王秀英" data-testid="assisted-name" />
          </Form.Item>
          <Form.Item name="residentPhone" label="手机号" required>
            <Input maxLength={11} inputMode="numeric" placeholder="11位手机号" data-testid="assisted-phone" />
          </Form.Item>
        </div>
        <Form.Item name="orgId" label="所在社区（阵地）" required>
          <OrgSearchSelect placeholder="输入社区或实践站名称" />
        </Form.Item>
        <Form.Item name="content" label="诉求内容" required>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={2000}
            showCount
            placeholder="按群众原话记录：什么事、在哪里、什么时候"
            data-testid="assisted-content"
          />
        </Form.Item>
        <Form.Item name="address" label="服务地址">
          <Input maxLength={200} placeholder="小区、楼号、单元、门牌号（不填则用社区地址）" />
        </Form.Item>
        <div className="assisted-row">
          <Form.Item name="category" label="类别（可不选，系统研判）">
            <Select allowClear placeholder="自动研判" options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))} />
          </Form.Item>
          <Form.Item name="nature" label="性质">
            <Select allowClear placeholder="自动研判" options={(Object.keys(NATURE_NAMES) as Nature[]).map((n) => ({ value: n, label: NATURE_NAMES[n] }))} />
          </Form.Item>
          <Form.Item name="urgency" label="紧急程度">
            <Select allowClear placeholder="自动研判" options={(Object.keys(URGENCY_NAMES) as Urgency[]).map((u) => ({ value: u, label: URGENCY_NAMES[u] }))} />
          </Form.Item>
        </div>
        <Form.Item name="photoIds" label="现场照片（最多 6 张）">
          <PhotoUpload value={photos} onChange={setPhotos} max={6} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
