import { useMutation } from '@tanstack/react-query';
import type { AuthResponse, TLoginBody, TRegisterBody } from '@wenming/contracts';
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
