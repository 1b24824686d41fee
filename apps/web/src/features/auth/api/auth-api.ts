import { useMutation } from '@tanstack/react-query';
import type { AuthResponse, TActivateBody, TChangePasswordBody, TLoginBody, TRegisterBody } from '@wenming/contracts';
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
