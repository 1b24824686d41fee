import { useMutation } from '@tanstack/react-query';
import type {
  AuthResponse,
  SmsCodeSentDto,
  SmsLoginResponse,
  TActivateBody,
  TChangePasswordBody,
  TLoginBody,
  TPasswordResetBody,
  TRegisterBody,
  TSmsCodeBody,
  TSmsLoginBody,
} from '@wenming/contracts';
import { api } from '../../../lib/api-client';
import { useSetMe } from '../../../lib/session';

/** Signs in; the server sets the `sid` and `csrf` cookies, so the token in the body is not kept. */
export function useLogin() {
  const setMe = useSetMe();
  return useMutation({
    mutationFn: (body: TLoginBody) => api<AuthResponse>('/auth/login', { method: 'POST', body }),
    onSuccess: (r) => setMe(r.user),
  });
}

export function useRegister() {
  const setMe = useSetMe();
  return useMutation({
    mutationFn: (body: TRegisterBody) => api<AuthResponse>('/auth/register', { method: 'POST', body }),
    onSuccess: (r) => setMe(r.user),
  });
}

/** 激活账号 / 忘记密码: the code from the site's staff and a new password; signs in on success. */
export function useActivate() {
  const setMe = useSetMe();
  return useMutation({
    mutationFn: (body: TActivateBody) => api<AuthResponse>('/auth/activate', { method: 'POST', body }),
    onSuccess: (r) => setMe(r.user),
  });
}

/** 修改密码: the current and a new password; the server ends every other session of the user. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (body: TChangePasswordBody) => api<void>('/auth/password', { method: 'POST', body }),
  });
}

/** 获取验证码: the server answers 202 with how long before another may be asked for. */
export function useSendSmsCode() {
  return useMutation({
    mutationFn: (body: TSmsCodeBody) => api<SmsCodeSentDto>('/auth/sms-codes', { method: 'POST', body }),
  });
}

/** 验证码登录: signs in (and, the first time, registers) with the phone and the code. */
export function useSmsLogin() {
  const setMe = useSetMe();
  return useMutation({
    mutationFn: (body: TSmsLoginBody) => api<SmsLoginResponse>('/auth/sms-login', { method: 'POST', body }),
    onSuccess: (r) => setMe(r.user),
  });
}

/** 找回密码: a reset code and a new password; every session of the account ends. */
export function usePasswordReset() {
  return useMutation({
    mutationFn: (body: TPasswordResetBody) => api<void>('/auth/password-reset', { method: 'POST', body }),
  });
}
