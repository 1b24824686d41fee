import { useEffect, useState } from 'react';
import { Button, Spin } from 'antd';
import { FullscreenExitOutlined, FullscreenOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { CODE_WINDOW_MS } from '@wenming/domain';
import { BrandMark, PRODUCT_NAME } from '../../../components/brand';
import { errorMessage, isApiError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useActivity, useCheckinCode, useSignups } from '../api/activities-api';
import { formatTimeRange, placeOf } from './activity-format';
import { QrCode } from '../../../components/qr-code';
import { publicOrigin, usePublicOrigin } from '../../../lib/public-origin';
import './checkin-screen.css';

const REFRESH_MS = 15_000;

/** The link a phone opens from the QR code. */
export function checkinUrl(activityId: string, code: string, origin: string = publicOrigin()): string {
  return `${origin}/h5/checkin/${activityId}?code=${encodeURIComponent(code)}`;
}

function useNow(ms: number) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = window.setInterval(() => setNow(new Date()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
}

const clock = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
const day = new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', weekday: 'long', timeZone: 'Asia/Shanghai' });

function Fullscreen() {
  const [on, setOn] = useState(() => !!document.fullscreenElement);
  useEffect(() => {
    const f = () => setOn(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', f);
    return () => document.removeEventListener('fullscreenchange', f);
  }, []);
  if (!document.fullscreenEnabled) return null;
  return (
    <Button
      type="text"
      className="scr-fs"
      icon={on ? <FullscreenExitOutlined /> : <FullscreenOutlined />}
      onClick={() => void (on ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => undefined)}
    >
      {on ? '退出全屏' : '全屏'}
    </Button>
  );
}

/**
 * /screen/checkin/:id — for a projector or tablet at the venue: title, clock, the QR code of the
 * current check-in code (a new one every CODE_WINDOW_MS = 30 s, fetched every 15 s so the screen
 * never shows one about to lapse; a code stays valid for at least 30 s), how
 * many have checked in. 签到 / 签退 only changes the words: the same code serves both.
 */
export function CheckinScreenPage() {
  const { id } = useParams();
  const [mode, setMode] = useState<'checkin' | 'checkout'>('checkin');
  const now = useNow(1000);
  const activity = useActivity(id, { refetchInterval: 60_000 });
  const open = activity.data?.state === 'published';
  const code = useCheckinCode(id, { enabled: open, refetchInterval: REFRESH_MS });
  const signups = useSignups(id, { enabled: open, refetchInterval: REFRESH_MS });
  const origin = usePublicOrigin();
  useDocumentTitle(activity.data ? `签到码 · ${activity.data.title}` : '签到大屏');

  const registered = (signups.data ?? []).filter((s) => s.status === 'registered');
  const checkedIn = registered.filter((s) => s.checkinAt).length;
  const checkedOut = registered.filter((s) => s.checkoutAt).length;
  const word = mode === 'checkin' ? '签到' : '签退';
  const a = activity.data;

  let body;
  if (activity.isPending) body = <Spin size="large" />;
  else if (activity.isError)
    body = (
      <div className="scr-message">
        {isApiError(activity.error) && (activity.error.status === 404 || activity.error.status === 403)
          ? '找不到这个活动，或您不是活动的组织者'
          : errorMessage(activity.error)}
        <Link to="/admin/activities" className="scr-link">
          返回活动管理
        </Link>
      </div>
    );
  else if (!open)
    body = (
      <div className="scr-message">
        {a?.state === 'draft' ? '活动尚未发布，发布后才能签到' : a?.state === 'finished' ? '活动已结束，感谢大家的参与！' : '活动已取消'}
      </div>
    );
  else if (code.isError && !code.data)
    body = (
      <div className="scr-message">
        {isApiError(code.error) && code.error.status === 403 ? '只有活动的组织者可以打开签到大屏' : `${errorMessage(code.error)}（稍后自动重试）`}
      </div>
    );
  else if (!code.data || !origin) body = <Spin size="large" />;
  else
    body = (
      <div className="scr-main">
        <div className="scr-qr-box">
          <div className="scr-qr" data-testid="screen-qr-box">
            <QrCode
              value={checkinUrl(a!.id, code.data.code, origin)}
              size="100%"
              label={`${word}二维码`}
              testId="screen-qr"
              data={{ 'data-url': checkinUrl(a!.id, code.data.code, origin) }}
            />
          </div>
          <div className="scr-qr-caption">二维码每 {CODE_WINDOW_MS / 1000} 秒更换一次，请在现场扫码</div>
        </div>
        <div className="scr-side">
          <div className={`scr-call ${mode}`} data-testid="screen-call">
            请用手机扫码{word}
          </div>
          <div className="scr-how">
            打开<b>手机相机</b>或<b>微信“扫一扫”</b>
            <br />
            对准二维码，按提示完成{word}
          </div>
          <div className="scr-stats">
            <div>
              <span className="scr-stat-num" data-testid="screen-checked-in">
                {checkedIn}
              </span>
              <span className="scr-stat-label">已签到</span>
            </div>
            <div>
              <span className="scr-stat-num">{registered.length}</span>
              <span className="scr-stat-label">已报名</span>
            </div>
            {mode === 'checkout' && (
              <div>
                <span className="scr-stat-num">{checkedOut}</span>
                <span className="scr-stat-label">已签退</span>
              </div>
            )}
          </div>
        </div>
      </div>
    );

  return (
    <div className="scr" data-testid="checkin-screen">
      <header className="scr-head">
        <div className="scr-brand">
          <BrandMark size={40} />
          <span>{PRODUCT_NAME}</span>
        </div>
        <div className="scr-clock">
          <span className="scr-day">{day.format(now)}</span>
          <span className="scr-time" data-testid="screen-clock">
            {clock.format(now)}
          </span>
        </div>
      </header>
      {a && (
        <div className="scr-title-block">
          <h1 className="scr-title" data-testid="screen-title">
            {a.title}
          </h1>
          <div className="scr-sub">
            {formatTimeRange(a.startsAt, a.endsAt)}　{placeOf(a)}
          </div>
        </div>
      )}
      <div className="scr-body">{body}</div>
      <footer className="scr-foot">
        <div className="scr-toggle" role="group" aria-label="签到或签退">
          {(['checkin', 'checkout'] as const).map((m) => (
            <button
              key={m}
              type="button"
              className={mode === m ? 'on' : ''}
              onClick={() => setMode(m)}
              aria-pressed={mode === m}
              data-testid={`screen-mode-${m}`}
            >
              {m === 'checkin' ? '签到' : '签退'}
            </button>
          ))}
        </div>
        <Fullscreen />
      </footer>
    </div>
  );
}
