import { useState } from 'react';
import { Alert, Button, Form, Input, Result } from 'antd';
import { LockOutlined, MobileOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { ZPasswordResetBody } from '@wenming/contracts';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { usePasswordReset } from '../api/auth-api';
import { AuthLayout } from './auth-layout';
import { safeRedirect } from './login-page';
import { SmsCodeField } from './sms-code-field';

interface Values {
  phone?: string;
  code?: string;
  newPassword?: string;
  confirm?: string;
}

/**
 * 找回密码 by SMS: the phone, a reset code sent to it and a new password. Every session of the
 * account ends (a phone left signed in somewhere is signed out); then the person signs in anew.
 */
export function ResetPasswordPage() {
  useDocumentTitle('找回密码');
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const reset = usePasswordReset();
  const [formError, setFormError] = useState<string | null>(null);
  const redirect = safeRedirect(params.get('redirect'));
  const loginLink = `/login?mode=password${redirect ? `&redirect=${encodeURIComponent(redirect)}` : ''}`;

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const body = validateForm(form, ZPasswordResetBody, { phone: v.phone ?? '', code: v.code ?? '', newPassword: v.newPassword ?? '' });
    if (!body) return;
    if (v.confirm !== v.newPassword) {
      form.setFields([{ name: 'confirm', errors: ['两次输入的密码不一致'] }]);
      return;
    }
    try {
      await reset.mutateAsync(body);
    } catch (e) {
      setFormError(applyApiError(form, e, ['phone', 'code', 'newPassword']));
    }
  };

  if (reset.isSuccess)
    return (
      <AuthLayout title="找回密码">
        <Result
          status="success"
          title="密码已重设"
          subTitle="为了安全，这个账号在所有设备上的登录都已退出，请用新密码登录。"
          extra={
            <Link to={loginLink}>
              <Button type="primary" size="large">
                去登录
              </Button>
            </Link>
          }
        />
      </AuthLayout>
    );

  return (
    <AuthLayout title="找回密码" subtitle="用手机收到的验证码设置新密码">
      <div className="sms-login">
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="form-error" />}
        <Form
          form={form}
          onValuesChange={clearErrorsOnChange(form)}
          layout="vertical"
          size="large"
          onFinish={() => void submit()}
          name="reset"
          requiredMark={false}
        >
          <Form.Item name="phone" label="手机号">
            <Input prefix={<MobileOutlined />} inputMode="numeric" maxLength={11} placeholder="请输入11位手机号" autoComplete="tel" />
          </Form.Item>
          <Form.Item name="code" label="短信验证码">
            <SmsCodeField purpose="reset" getPhone={() => (form.getFieldValue('phone') as string | undefined) ?? ''} onError={setFormError} />
          </Form.Item>
          <Form.Item name="newPassword" label="新密码">
            <Input.Password prefix={<LockOutlined />} placeholder="至少8位" autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="confirm" label="再输一次新密码">
            <Input.Password prefix={<LockOutlined />} placeholder="与上面相同" autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={reset.isPending}>
            重设密码
          </Button>
        </Form>
        <div className="auth-switch">
          <Link to={loginLink}>返回登录</Link>
        </div>
      </div>
    </AuthLayout>
  );
}
