import { App, Form, Input, Modal } from 'antd';
import { ZChangePasswordBody, ZPassword } from '@wenming/contracts';
import { isApiError } from '../../../lib/api-client';
import { applyApiError, clearErrorsOnChange, validateForm, zodRule } from '../../../lib/form-errors';
import { useChangePassword } from '../api/auth-api';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * 修改密码: the current password, the new one twice. On success every other device this account
 * is signed in on is signed out (the server ends those sessions); this one stays signed in.
 * Used by 我的 (H5) and the console's user menu.
 */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const change = useChangePassword();

  const submit = async () => {
    const values = form.getFieldsValue(true) as Values;
    if (values.newPassword !== values.confirm) {
      form.setFields([{ name: ['confirm'], errors: ['两次输入的新密码不一致'] }]);
      return;
    }
    const body = validateForm(form, ZChangePasswordBody, { oldPassword: values.oldPassword || undefined, newPassword: values.newPassword });
    if (!body) return;
    try {
      await change.mutateAsync(body);
      message.success('密码已修改，其他设备上的登录已退出');
      form.resetFields();
      onClose();
    } catch (e) {
      if (isApiError(e) && e.code === 'RULE_VIOLATION') {
        form.setFields([{ name: ['oldPassword'], errors: [e.message] }]);
        return;
      }
      const rest = applyApiError(form, e, ['oldPassword', 'newPassword']);
      if (rest) message.error(rest);
    }
  };

  return (
    <Modal
      open={open}
      title="修改密码"
      okText="确认修改"
      cancelText="取消"
      onOk={() => void submit()}
      confirmLoading={change.isPending}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      destroyOnHidden
      width={420}
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onValuesChange={clearErrorsOnChange(form)}
        onFinish={() => void submit()}
        data-testid="change-password-form"
      >
        <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password autoComplete="current-password" size="large" />
        </Form.Item>
        <Form.Item name="newPassword" label="新密码" extra="至少8位" rules={[{ required: true, message: '请输入新密码' }, zodRule(ZPassword)]}>
          <Input.Password autoComplete="new-password" size="large" />
        </Form.Item>
        <Form.Item name="confirm" label="再次输入新密码" rules={[{ required: true, message: '请再次输入新密码' }]}>
          <Input.Password autoComplete="new-password" size="large" />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
