import { useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, Tabs } from 'antd';
import { LockOutlined, MobileOutlined } from '@ant-design/icons';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ZLoginBody, ZSmsLoginBody } from '@wenming/contracts';
import { PageLoading } from '../../../components/page-loading';
import { applyApiError, validateForm, clearErrorsOnChange } from '../../../lib/form-errors';
import { homeOf, useMe } from '../../../lib/session';
import { useLogin, useSmsLogin } from '../api/auth-api';
import { AuthLayout } from './auth-layout';
import { SmsCodeField } from './sms-code-field';
import { useDocumentTitle } from '../../../lib/use-document-title';

/** Only paths inside this app (never another site) are followed after signing in. */
export function safeRedirect(v: string | null): string | null {
  return v && v.startsWith('/') && !v.startsWith('//') && !/^\/(login|register|activate|reset-password)/.test(v) ? v : null;
}

/** 我已阅读并同意《用户协议》和《隐私政策》, the two pages opening beside the form. */
export function ConsentCheckbox({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <Checkbox className="auth-consent" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid="consent">
      我已阅读并同意
      <a href="/terms" target="_blank" rel="noreferrer">
        《用户协议》
      </a>
      和
      <a href="/privacy" target="_blank" rel="noreferrer">
        《隐私政策》
      </a>
    </Checkbox>
  );
}

/**
 * 验证码登录 (the default): phone, the SMS code, consent. The first sign-in of a phone registers
 * it as a resident, so there is nothing else to fill in.
 */
function SmsLoginForm({ redirect }: { redirect: string | null }) {
  const [form] = Form.useForm<{ phone?: string; code?: string }>();
  const navigate = useNavigate();
  const login = useSmsLogin();
  const [consent, setConsent] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const body = validateForm(form, ZSmsLoginBody, { phone: v.phone ?? '', code: v.code ?? '', consent: true });
    if (!body) return;
    if (!consent) {
      setFormError('请先阅读并勾选同意《用户协议》和《隐私政策》');
      return;
    }
    try {
      const r = await login.mutateAsync(body);
      navigate(redirect ?? homeOf(r.user), { replace: true });
    } catch (e) {
      setFormError(applyApiError(form, e, ['phone', 'code']));
    }
  };

  return (
    <div className="sms-login">
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="form-error" />}
      {notice && !formError && <Alert type="success" showIcon title={notice} style={{ marginBottom: 16 }} data-testid="sms-notice" />}
      <Form
        form={form}
        onValuesChange={clearErrorsOnChange(form)}
        layout="vertical"
        size="large"
        onFinish={() => void submit()}
        name="sms-login"
        requiredMark={false}
      >
        <Form.Item name="phone" label="手机号">
          <Input prefix={<MobileOutlined />} inputMode="numeric" maxLength={11} placeholder="请输入11位手机号" autoComplete="tel" />
        </Form.Item>
        <Form.Item name="code" label="短信验证码">
          <SmsCodeField
            purpose="login"
            getPhone={() => (form.getFieldValue('phone') as string | undefined) ?? ''}
            onError={setFormError}
            onSent={() => setNotice('验证码已发送，请查看手机短信，5分钟内有效')}
          />
        </Form.Item>
        <Form.Item>
          <ConsentCheckbox checked={consent} onChange={setConsent} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="sms-login-submit">
          登录 / 注册
        </Button>
      </Form>
      <div className="auth-switch auth-activate">
        <div>未注册的手机号验证后将自动注册</div>
      </div>
    </div>
  );
}

export function LoginPage() {
  useDocumentTitle('登录');
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const redirect = safeRedirect(params.get('redirect'));
  // Staff on the console sign in by password; residents and volunteers by SMS code.
  const mode = params.get('mode') === 'password' || params.get('mode') === 'sms' ? params.get('mode')! : redirect?.startsWith('/admin') ? 'password' : 'sms';
  const [signingIn, setSigningIn] = useState(false);

  if (me.isPending) return <PageLoading />;
  if (me.data && !signingIn) return <Navigate to={redirect ?? homeOf(me.data)} replace />;

  return (
    <AuthLayout title="登录" subtitle={mode === 'sms' ? '手机号 + 短信验证码，无需记密码' : '使用手机号和密码登录'}>
      <div onSubmitCapture={() => setSigningIn(true)}>
        <Tabs
          className="auth-tabs"
          activeKey={mode}
          onChange={(k) => {
            const next = new URLSearchParams(params);
            next.set('mode', k);
            setParams(next, { replace: true });
          }}
          items={[
            { key: 'sms', label: '验证码登录', children: <SmsLoginForm redirect={redirect} /> },
            { key: 'password', label: '密码登录', children: <PasswordLoginForm redirect={redirect} /> },
          ]}
        />
      </div>
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

function PasswordLoginForm({ redirect }: { redirect: string | null }) {
  const [form] = Form.useForm<{ phone?: string; password?: string }>();
  const navigate = useNavigate();
  const login = useLogin();
  const [formError, setFormError] = useState<string | null>(null);

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
    <>
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
        <Link to={`/reset-password${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`} data-testid="reset-link">
          忘记密码？用短信验证码重设
        </Link>
      </div>
    </>
  );
}
