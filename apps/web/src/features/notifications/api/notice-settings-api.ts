import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TNoticeSettingBody, TNoticeSettings } from '@wenming/contracts';
import { api } from '../../../lib/api-client';

const KEY = ['notice-settings'] as const;

/** 我的 → 消息设置: which notices reach me by SMS / WeChat. */
export function useNoticeSettings() {
  return useQuery({ queryKey: KEY, queryFn: () => api<TNoticeSettings>('/me/notice-settings') });
}

export function useSetNotice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TNoticeSettingBody) => api<TNoticeSettings>('/me/notice-settings', { method: 'PUT', body }),
    onSuccess: (data) => qc.setQueryData(KEY, data),
  });
}
