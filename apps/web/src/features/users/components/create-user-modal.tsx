import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { ZCreateUserBody, type UserDto } from '@wenming/contracts';
import { applyApiError, validateForm, clearErrorsOnChange } from '../../../lib/form-errors';
import { useCreateUser } from '../api/users-api';

const FIELDS = ['phone', 'name', 'password'] as const;

/** 新建工作人员账号: the account only; roles are granted afterwards in the user drawer. */
export function CreateUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (u: UserDto) => void }) {
  const [form] = Form.useForm<{ phone?: string; name?: string; password?: string }>();
  const { message } = App.useApp();
  const create = useCreateUser();
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setFormError(null);
    }
  }, [open, form]);

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const body = validateForm(form, ZCreateUserBody, { phone: v.phone ?? '', name: v.name ?? '', password: v.password ?? '' });
    if (!body) return;
    try {
      const u = await create.mutateAsync(body);
      message.success(`已创建账号「${u.name}」，请为其分配角色`);
      onCreated(u);
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  return (
    <Modal title="新建工作人员账号" open={open} onCancel={onClose} onOk={() => void submit()} okText="创建" confirmLoading={create.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">创建后请在用户详情中为其分配角色与管辖阵地。初始密码请线下告知本人。</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} onValuesChange={clearErrorsOnChange(form)} layout="vertical" onFinish={() => void submit()} name="create-user" autoComplete="off">
        <Form.Item name="phone" label="手机号" required>
          <Input inputMode="numeric" maxLength={11} placeholder="11位手机号" autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label="姓名" required>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
        <Form.Item name="password" label="初始密码" required extra="至少8位">
          <Input.Password maxLength={128} autoComplete="new-password" />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
