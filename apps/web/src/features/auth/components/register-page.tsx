import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, MobileOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ZRegisterBody } from '@wenming/contracts';
import { PageLoading } from '../../../components/page-loading';
import { applyApiError, validateForm, clearErrorsOnChange } from '../../../lib/form-errors';
import { homeOf, useMe } from '../../../lib/session';
import { useRegister } from '../api/auth-api';
import { AuthLayout } from './auth-layout';
import { safeRedirect } from './login-page';
import { useDocumentTitle } from '../../../lib/use-document-title';

interface Values {
  phone?: string;
  name?: string;
  password?: string;
  confirm?: string;
}

export function RegisterPage() {
  useDocumentTitle('注册');
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useMe();
  const register = useRegister();
  const [formError, setFormError] = useState<string | null>(null);
  const redirect = safeRedirect(params.get('redirect'));

  if (me.isPending) return <PageLoading />;
  if (me.data && !register.isPending && !register.isSuccess) return <Navigate to={redirect ?? homeOf(me.data)} replace />;

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const body = validateForm(form, ZRegisterBody, { phone: v.phone ?? '', name: v.name ?? '', password: v.password ?? '' });
    const mismatch = (v.password ?? '') !== (v.confirm ?? '');
    if (mismatch) form.setFields([{ name: ['confirm'], errors: ['两次输入的密码不一致'] }]);
    if (!body || mismatch) return;
    try {
      const r = await register.mutateAsync(body);
      navigate(redirect ?? homeOf(r.user), { replace: true });
    } catch (e) {
      setFormError(applyApiError(form, e, ['phone', 'name', 'password']));
    }
  };

  return (
    <AuthLayout title="注册" subtitle="注册后即可参与活动、预约场馆、向实践站点单">
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 20 }} data-testid="form-error" />}
      <Form
        form={form}
        onValuesChange={clearErrorsOnChange(form)}
        layout="vertical"
        size="large"
        onFinish={() => void submit()}
        name="register"
        requiredMark={false}
      >
        <Form.Item name="phone" label="手机号">
          <Input prefix={<MobileOutlined />} inputMode="numeric" maxLength={11} placeholder="请输入11位手机号" autoComplete="tel" />
        </Form.Item>
        <Form.Item name="name" label="姓名">
          <Input prefix={<UserOutlined />} maxLength={50} placeholder="请输入姓名" autoComplete="name" />
        </Form.Item>
        <Form.Item name="password" label="密码" extra="至少8位">
          <Input.Password prefix={<LockOutlined />} placeholder="设置密码" autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label="确认密码">
          <Input.Password prefix={<LockOutlined />} placeholder="再次输入密码" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={register.isPending}>
          注册并登录
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 13 }}>
        我们仅用手机号识别您的账号，不会向他人展示完整号码。
      </Typography.Paragraph>
      <div className="auth-switch">
        已有账号？<Link to={`/login${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`}>去登录</Link>
      </div>
    </AuthLayout>
  );
}
