import { App, Button, Drawer, Typography } from 'antd';
import { CopyOutlined, ShareAltOutlined } from '@ant-design/icons';
import type { ActivityDto } from '../api/activities-api';
import { formatTimeRange, placeOf } from './activity-format';
import { QrCode } from '../../../components/qr-code';
import { publicOrigin, usePublicOrigin } from '../../../lib/public-origin';

/** The detail page's address: the recruitment link (招募链接) for this activity. */
export function activityLink(id: string): string {
  return `${publicOrigin()}/h5/activities/${id}`;
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain-HTTP pages and older WebViews have no clipboard API.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    let ok: boolean;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

/** 分享: the recruitment link as a QR code (drawn here, nothing fetched), copy, and the system share. */
export function ShareSheet({ activity: a, open, onClose }: { activity: ActivityDto; open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  usePublicOrigin(); // draws again once the public address (PUBLIC_BASE_URL) is known
  const url = activityLink(a.id);
  const text = `【志愿活动招募】${a.title}\n时间：${formatTimeRange(a.startsAt, a.endsAt)}\n地点：${placeOf(a)}\n报名：${url}`;
  const canShare = typeof navigator.share === 'function';
  return (
    <Drawer open={open} onClose={onClose} placement="bottom" size="auto" title="分享活动" rootClassName="act-sheet" destroyOnHidden>
      <div className="act-share-body" data-testid="share-sheet">
        <div className="act-share-title">{a.title}</div>
        <div className="act-share-qr">
          <QrCode value={url} size="min(13rem, 60vw)" label="活动报名二维码" testId="share-qr" data={{ 'data-url': url }} />
        </div>
        <Typography.Paragraph type="secondary" className="act-share-hint">
          微信或相机扫一扫，打开活动页报名；也可长按保存截图发到群里
        </Typography.Paragraph>
        <div className="act-share-url" data-testid="share-url">
          {url}
        </div>
        <div className="act-buttons">
          <Button
            size="large"
            icon={<CopyOutlined />}
            onClick={async () => ((await copy(text)) ? message.success('已复制招募信息和链接，可粘贴到微信群') : message.error('复制失败，请长按链接手动复制'))}
          >
            复制链接
          </Button>
          {canShare && (
            <Button
              size="large"
              type="primary"
              icon={<ShareAltOutlined />}
              onClick={() => void navigator.share({ title: a.title, text: `【志愿活动招募】${a.title}`, url }).catch(() => undefined)}
            >
              发送给好友
            </Button>
          )}
        </div>
      </div>
    </Drawer>
  );
}
