import { Alert, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { ZCreatePairingResidentBody, type PairingResidentDto } from '@wenming/contracts';
import { PAIRING_CARE_TAGS } from '@wenming/domain';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useCreateResident } from '../api/pairing-api';

const FIELDS = ['orgId', 'name', 'address', 'phone', 'gender', 'birthYear', 'tags', 'note'] as const;

/** 新增帮扶对象: name, address, phone (masked to others), care notes such as 独居 / 空巢 / 失能. */
export function ResidentModal({
  open,
  orgId,
  onClose,
  onCreated,
}: {
  open: boolean;
  orgId?: string;
  onClose: () => void;
  onCreated: (r: PairingResidentDto) => void;
}) {
  const [form] = Form.useForm();
  const create = useCreateResident();
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    setError(null);
    const v = form.getFieldsValue(true) as Record<string, unknown>;
    const body = validateForm(form, ZCreatePairingResidentBody, {
      ...v,
      phone: (v.phone as string | undefined)?.trim() || undefined,
      note: (v.note as string | undefined)?.trim() || undefined,
      birthYear: v.birthYear ?? undefined,
      gender: v.gender ?? undefined,
      tags: v.tags ?? [],
    });
    if (!body) return;
    try {
      const r = await create.mutateAsync(body);
      form.resetFields();
      onCreated(r);
    } catch (e) {
      setError(applyApiError(form, e, FIELDS));
    }
  };

  return (
    <Modal
      title="新增帮扶对象"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      cancelText="取消"
      confirmLoading={create.isPending}
      destroyOnHidden
      width={560}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ orgId, tags: [] }} onValuesChange={clearErrorsOnChange(form)} data-testid="resident-form">
        <Form.Item name="orgId" label="所属阵地（社区实践站）" required>
          <OrgSearchSelect placeholder="选择老人所在社区" />
        </Form.Item>
        <Form.Item name="name" label="姓名" required>
          <Input maxLength={50} placeholder="如：刘桂芳" />
        </Form.Item>
        <Form.Item name="address" label="住址" required>
          <Input maxLength={200} placeholder="小区、楼号、单元、门牌" />
        </Form.Item>
        <Form.Item name="phone" label="联系电话" extra="仅结对志愿者可见完整号码，其他人看到的是打码后的号码。">
          <Input maxLength={11} inputMode="tel" placeholder="11位手机号（可不填）" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item name="gender" label="性别">
            <Radio.Group
              options={[
                { value: 'female', label: '女' },
                { value: 'male', label: '男' },
              ]}
            />
          </Form.Item>
          <Form.Item name="birthYear" label="出生年份">
            <InputNumber min={1900} max={2100} placeholder="如 1940" style={{ width: 140 }} />
          </Form.Item>
        </div>
        <Form.Item name="tags" label="帮扶情况">
          <Select mode="tags" placeholder="独居、空巢、失能……（可自行输入）" options={PAIRING_CARE_TAGS.map((t) => ({ value: t, label: t }))} maxCount={20} />
        </Form.Item>
        <Form.Item name="note" label="注意事项">
          <Input.TextArea rows={3} maxLength={1000} placeholder="身体状况、用药、沟通方式等" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
