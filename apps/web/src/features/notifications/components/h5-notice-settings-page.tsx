import { Alert, App, Skeleton, Switch } from 'antd';
import type { TNoticeSettingBody } from '@wenming/contracts';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useNoticeSettings, useSetNotice } from '../api/notice-settings-api';
import './notifications.css';

/**
 * 我的 → 消息设置: for each kind of notice, whether it also comes by text message and by WeChat.
 * Work that waits on the person (an order dispatched to them …) always comes; the app's own
 * message list (the bell) always has everything.
 */
export function H5NoticeSettingsPage() {
  useDocumentTitle('消息设置');
  const { message } = App.useApp();
  const settings = useNoticeSettings();
  const set = useSetNotice();

  if (settings.isError) return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <Skeleton active className="h5-page" />;
  const { items, smsRepliedStop, wechatBound } = settings.data;

  const toggle = async (body: TNoticeSettingBody) => {
    try {
      await set.mutateAsync(body);
      message.success(body.enabled ? '已开启' : '已关闭');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <div className="h5-page notice-settings">
      <p className="notice-settings-intro">所有通知都会出现在右上角的“消息”里。这里选择哪些通知同时发短信、发微信。</p>
      {smsRepliedStop && <Alert type="info" showIcon title="您曾回复“TD”退订短信，可关闭的短信通知都已停发；打开某一项即恢复该项。" />}
      <section className="h5-card">
        <div className="notice-settings-head">
          <span>通知</span>
          <span>短信</span>
          <span>微信</span>
        </div>
        {items.map((k) => (
          <div className="notice-settings-row" key={k.kind} data-testid={`notice-${k.kind}`}>
            <span className="notice-settings-label">
              {k.label}
              {!k.optional && <span className="notice-settings-hint">工作通知，不能关闭</span>}
            </span>
            <Switch
              checked={k.sms}
              disabled={!k.optional || set.isPending}
              aria-label={`${k.label}：短信`}
              onChange={(enabled) => void toggle({ kind: k.kind, channel: 'sms', enabled } as TNoticeSettingBody)}
            />
            <Switch
              checked={k.wechat}
              disabled={!k.optional || set.isPending}
              aria-label={`${k.label}：微信`}
              onChange={(enabled) => void toggle({ kind: k.kind, channel: 'wechat', enabled } as TNoticeSettingBody)}
            />
          </div>
        ))}
      </section>
      <p className="notice-settings-intro">
        {wechatBound ? '微信通知发到您绑定的微信（文明实践公众号）。' : '在微信里打开本页面并登录，即可绑定微信接收通知。'}
      </p>
    </div>
  );
}
