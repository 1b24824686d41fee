import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { KeyOutlined, LockOutlined, MobileOutlined } from '@ant-design/icons';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ZActivateBody } from '@wenming/contracts';
import { PageLoading } from '../../../components/page-loading';
import { applyApiError, validateForm, clearErrorsOnChange } from '../../../lib/form-errors';
import { homeOf, useMe } from '../../../lib/session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useActivate } from '../api/auth-api';
import { AuthLayout } from './auth-layout';
import { safeRedirect } from './login-page';

interface Values {
  phone?: string;
  code?: string;
  password?: string;
  confirm?: string;
}

/**
 * 激活账号 / 忘记密码: volunteers registered by their site (imported) have no password yet, and
 * anyone may forget theirs; the site's staff give an 8-digit code, valid for 72 hours, and the
 * person sets a password here with it and is signed in.
 */
export function ActivatePage() {
  useDocumentTitle('激活账号');
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useMe();
  const activate = useActivate();
  const [formError, setFormError] = useState<string | null>(null);
  const redirect = safeRedirect(params.get('redirect'));

  if (me.isPending) return <PageLoading />;
  if (me.data && !activate.isPending && !activate.isSuccess) return <Navigate to={redirect ?? homeOf(me.data)} replace />;

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const body = validateForm(form, ZActivateBody, { phone: v.phone ?? '', code: v.code ?? '', password: v.password ?? '' });
    const mismatch = (v.password ?? '') !== (v.confirm ?? '');
    if (mismatch) form.setFields([{ name: ['confirm'], errors: ['两次输入的密码不一致'] }]);
    if (!body || mismatch) return;
    try {
      const r = await activate.mutateAsync(body);
      navigate(redirect ?? homeOf(r.user), { replace: true });
    } catch (e) {
      setFormError(applyApiError(form, e, ['phone', 'code', 'password']));
    }
  };

  return (
    <AuthLayout title="激活账号 / 忘记密码" subtitle="凭工作人员给您的激活码设置新密码">
      <Alert
        type="info"
        showIcon
        title="激活码从哪里来？"
        description="由实践站统一登记的志愿者，或忘记了密码：请联系所在实践站（所）的工作人员，在后台为您生成8位激活码，72小时内有效，只能使用一次。"
        style={{ marginBottom: 20 }}
      />
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 20 }} data-testid="form-error" />}
      <Form
        form={form}
        onValuesChange={clearErrorsOnChange(form)}
        layout="vertical"
        size="large"
        onFinish={() => void submit()}
        name="activate"
        requiredMark={false}
      >
        <Form.Item name="phone" label="手机号">
          <Input prefix={<MobileOutlined />} inputMode="numeric" maxLength={11} placeholder="登记时的11位手机号" autoComplete="username" />
        </Form.Item>
        <Form.Item name="code" label="激活码">
          <Input prefix={<KeyOutlined />} inputMode="numeric" maxLength={9} placeholder="8位数字" autoComplete="one-time-code" />
        </Form.Item>
        <Form.Item name="password" label="新密码" extra="至少8位">
          <Input.Password prefix={<LockOutlined />} placeholder="设置密码" autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label="确认新密码">
          <Input.Password prefix={<LockOutlined />} placeholder="再次输入密码" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={activate.isPending} data-testid="activate-submit">
          设置密码并登录
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 13 }}>
        设置成功后，其他设备上的登录会自动退出。
      </Typography.Paragraph>
      <div className="auth-switch">
        想起密码了？<Link to={`/login${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`}>去登录</Link>
      </div>
    </AuthLayout>
  );
}
