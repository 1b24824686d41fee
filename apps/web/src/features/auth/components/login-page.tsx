import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, MobileOutlined } from '@ant-design/icons';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ZLoginBody } from '@wenming/contracts';
import { PageLoading } from '../../../components/page-loading';
import { applyApiError, validateForm, clearErrorsOnChange } from '../../../lib/form-errors';
import { homeOf, useMe } from '../../../lib/session';
import { useLogin } from '../api/auth-api';
import { AuthLayout } from './auth-layout';
import { useDocumentTitle } from '../../../lib/use-document-title';

/** Only paths inside this app (never another site) are followed after signing in. */
export function safeRedirect(v: string | null): string | null {
  return v && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/login') && !v.startsWith('/register') && !v.startsWith('/activate') ? v : null;
}

export function LoginPage() {
  useDocumentTitle('登录');
  const [form] = Form.useForm<{ phone?: string; password?: string }>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useMe();
  const login = useLogin();
  const [formError, setFormError] = useState<string | null>(null);
  const redirect = safeRedirect(params.get('redirect'));

  if (me.isPending) return <PageLoading />;
  if (me.data && !login.isPending && !login.isSuccess) return <Navigate to={redirect ?? homeOf(me.data)} replace />;

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const body = validateForm(form, ZLoginBody, { phone: v.phone ?? '', password: v.password ?? '' });
    if (!body) return;
    try {
      const r = await login.mutateAsync(body);
      navigate(redirect ?? homeOf(r.user), { replace: true });
    } catch (e) {
      setFormError(applyApiError(form, e, ['phone', 'password']));
    }
  };

  return (
    <AuthLayout title="登录" subtitle="使用手机号和密码登录">
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 20 }} data-testid="form-error" />}
      <Form
        form={form}
        onValuesChange={clearErrorsOnChange(form)}
        layout="vertical"
        size="large"
        onFinish={() => void submit()}
        name="login"
        requiredMark={false}
      >
        <Form.Item name="phone" label="手机号">
          <Input prefix={<MobileOutlined />} inputMode="numeric" maxLength={11} placeholder="请输入11位手机号" autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label="密码">
          <Input.Password prefix={<LockOutlined />} placeholder="请输入密码" autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending}>
          登录
        </Button>
      </Form>
      <div className="auth-switch">
        还没有账号？<Link to={`/register${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`}>立即注册</Link>
      </div>
      <div className="auth-switch auth-activate">
        <Link to={`/activate${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`} data-testid="activate-link">
          激活账号 / 忘记密码
        </Link>
        <div>由实践站统一登记、还没有设置密码，或忘记了密码：请向所在站点的工作人员索取激活码</div>
      </div>
    </AuthLayout>
  );
}
