import { useEffect, useState } from 'react';
import { Button, Input, Space } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { PHONE_RE } from '@wenming/contracts';
import { isApiError } from '../../../lib/api-client';
import { useSendSmsCode } from '../api/auth-api';

/**
 * The 6-digit code input with its 获取验证码 button. The button asks the server for a code for the
 * phone `getPhone` returns, then counts down the seconds the server says must pass before another
 * (60), so an elderly person sees why they cannot press it again.
 */
export function SmsCodeField({
  purpose,
  getPhone,
  onError,
  onSent,
  value,
  onChange,
}: {
  purpose: 'login' | 'reset';
  getPhone: () => string;
  onError: (message: string | null) => void;
  onSent?: () => void;
  value?: string;
  onChange?: (v: string) => void;
}) {
  const send = useSendSmsCode();
  const [left, setLeft] = useState(0);
  const [sentOnce, setSentOnce] = useState(false);

  useEffect(() => {
    if (left <= 0) return;
    const t = setTimeout(() => setLeft((n) => n - 1), 1000);
    return () => clearTimeout(t);
  }, [left]);

  const ask = async () => {
    const phone = getPhone().trim();
    if (!PHONE_RE.test(phone)) {
      onError('请先填写正确的11位手机号');
      return;
    }
    onError(null);
    try {
      const r = await send.mutateAsync({ phone, purpose });
      setLeft(r.resendAfter);
      setSentOnce(true);
      onSent?.();
    } catch (e) {
      onError(isApiError(e) ? e.message : '验证码发送失败，请稍后再试');
    }
  };

  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input
        prefix={<SafetyOutlined />}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        placeholder="6位验证码"
        value={value}
        onChange={(e) => onChange?.(e.target.value.replace(/\D/g, ''))}
        data-testid="sms-code"
      />
      <Button className="sms-send" onClick={() => void ask()} disabled={left > 0} loading={send.isPending} data-testid="sms-send">
        {left > 0 ? `${left}秒后重发` : sentOnce ? '重新获取' : '获取验证码'}
      </Button>
    </Space.Compact>
  );
}
