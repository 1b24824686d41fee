import { useState } from 'react';
import { App, Badge, Button, Drawer, Empty, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { formatDateTime } from '../../../lib/format';
import { useServerEvents, type ServerNotification } from '../../../lib/server-events';
import { NOTIFICATIONS_KEY, useMarkRead, useNotifications, type NotificationDto } from '../api/notifications-api';
import './notifications.css';

/**
 * Notices that confirm what the person just did on this phone, which the page they did it on has
 * already confirmed in its own words: no second toast on top of the first (the bell keeps them).
 */
const CONFIRMED_BY_THE_PAGE = new Set(['activity.signup']);

interface Props {
  /** Where a notice leads (e.g. an order's page in this face of the app), or null. */
  hrefOf: (n: Pick<NotificationDto, 'refType' | 'refId'>) => string | null;
  variant: 'h5' | 'admin';
  /** Called for each pushed notice (after the caches that depend on it are refreshed). */
  onPush?: (n: ServerNotification) => void;
}

/**
 * 消息: the unread count, fed live by the server's event stream. A pushed notice about an order
 * refreshes every order on screen and shows a toast.
 */
export function NotificationBell({ hrefOf, variant, onPush }: Props) {
  const qc = useQueryClient();
  const { notification, message } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const list = useNotifications();
  const markRead = useMarkRead();

  useServerEvents((n) => {
    void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    if (n.refType === 'order') void qc.invalidateQueries({ queryKey: ['orders'] });
    if (n.refType === 'service_record') void qc.invalidateQueries({ queryKey: ['service-records'] });
    onPush?.(n);
    const href = hrefOf(n);
    if (variant === 'h5') {
      // On a phone a short toast; the bell keeps the notice.
      if (CONFIRMED_BY_THE_PAGE.has(n.kind)) return;
      void message.info({ content: n.title, key: n.id, duration: 3 });
      return;
    }
    notification.info({
      key: n.id,
      title: n.title,
      description: n.body ?? undefined,
      placement: 'topRight',
      duration: 6,
      onClick: href
        ? () => {
            notification.destroy(n.id);
            markRead.mutate(n.id);
            navigate(href);
          }
        : undefined,
      style: href ? { cursor: 'pointer' } : undefined,
    });
  });

  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];
  const go = (n: NotificationDto) => {
    if (!n.read) markRead.mutate(n.id);
    const href = hrefOf(n);
    if (href) {
      setOpen(false);
      navigate(href);
    }
  };

  return (
    <>
      <Button
        type="text"
        className={`bell bell-${variant}`}
        aria-label={unread ? `消息，${unread} 条未读` : '消息'}
        onClick={() => setOpen(true)}
        data-testid="bell"
        icon={
          <Badge count={unread} size="small" overflowCount={99} offset={[2, -2]}>
            <BellOutlined className="bell-icon" />
          </Badge>
        }
      />
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        placement={variant === 'h5' ? 'bottom' : 'right'}
        size={variant === 'h5' ? '75%' : 420}
        title="消息"
        rootClassName={`bell-drawer bell-drawer-${variant}`}
        extra={
          unread > 0 && (
            <Button size="small" type="link" onClick={() => markRead.mutate(undefined)} loading={markRead.isPending && !markRead.variables}>
              全部已读
            </Button>
          )
        }
      >
        {list.isPending ? (
          <Spin />
        ) : items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无消息" />
        ) : (
          <ul className="bell-list" data-testid="notification-list">
            {items.map((n) => (
              <li key={n.id}>
                <button type="button" className={`bell-item${n.read ? '' : ' unread'}`} onClick={() => go(n)}>
                  <span className="bell-item-title">
                    {!n.read && <Badge status="error" />}
                    {n.title}
                  </span>
                  {n.body && <span className="bell-item-body">{n.body}</span>}
                  <Typography.Text type="secondary" className="bell-item-at">
                    {formatDateTime(n.at)}
                  </Typography.Text>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Drawer>
    </>
  );
}
