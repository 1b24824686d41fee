import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react';
import { Button, Skeleton } from 'antd';
import { AimOutlined, CheckCircleFilled, CloseCircleFilled, EnvironmentOutlined, LoadingOutlined, ScanOutlined } from '@ant-design/icons';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { QueryError } from '../../../components/query-error';
import { errorMessage, isApiError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useActivity, useStamp, type ActivityDto } from '../api/activities-api';
import { chinaTime, formatMoment, formatTimeRange, placeOf } from './activity-format';
import './activities.css';

type Kind = 'checkin' | 'checkout';
type Stage =
  | { step: 'confirm-checkout' }
  | { step: 'locating' }
  | { step: 'sending'; kind: Kind }
  | { step: 'done'; kind: Kind; at: string }
  | { step: 'failed'; kind: Kind; message: string; hint?: string; retry: boolean; detail?: boolean };

const WORD: Record<Kind, string> = { checkin: '签到', checkout: '签退' };

/** Where the phone is; a Chinese message when it cannot be had. */
function locate(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new Error('这台手机的浏览器不支持定位，请换用微信或系统浏览器扫码。'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lng: Math.round(p.coords.longitude * 1e6) / 1e6 }),
      (e) =>
        reject(
          new Error(
            e.code === e.PERMISSION_DENIED
              ? '您没有允许获取位置。请在手机“设置”中允许浏览器（或微信）使用位置信息，然后点“重新签到”。'
              : e.code === e.TIMEOUT
                ? '定位超时。请到信号好的地方（如窗边、室外），打开手机定位后重试。'
                : '暂时无法获取您的位置。请打开手机的定位服务后重试。',
          ),
        ),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  });
}

function Big({ ok, title, children }: { ok: boolean | null; title: string; children?: ReactNode }) {
  return (
    <div className={`act-result ${ok === true ? 'ok' : ok === false ? 'bad' : ''}`} data-testid="checkin-result" data-ok={ok === null ? undefined : String(ok)}>
      <div className="act-result-icon">{ok === true ? <CheckCircleFilled /> : ok === false ? <CloseCircleFilled /> : <LoadingOutlined />}</div>
      <div className="act-result-title">{title}</div>
      {children}
    </div>
  );
}

function Flow({ a, code }: { a: ActivityDto; code: string }) {
  const stamp = useStamp(a.id);
  const started = useRef(false);
  const mine = a.mySignup;
  const [stage, setStage] = useState<Stage>(() => {
    if (mine?.checkinAt) return Date.now() < Date.parse(a.endsAt) ? { step: 'confirm-checkout' } : { step: 'sending', kind: 'checkout' };
    return a.geofenceM ? { step: 'locating' } : { step: 'sending', kind: 'checkin' };
  });

  const run = async (kind: Kind) => {
    let pos: { lat: number; lng: number } | undefined;
    if (kind === 'checkin' && a.geofenceM) {
      setStage({ step: 'locating' });
      try {
        pos = await locate();
      } catch (e) {
        setStage({ step: 'failed', kind, message: '没有获取到您的位置', hint: errorMessage(e), retry: true });
        return;
      }
    }
    setStage({ step: 'sending', kind });
    try {
      const r = await stamp.mutateAsync({ kind, code, ...pos });
      setStage({ step: 'done', kind, at: r.at });
    } catch (e) {
      const expired = isApiError(e) && e.status === 422 && /签到码/.test(e.message);
      const notSigned = isApiError(e) && e.status === 403;
      setStage({
        step: 'failed',
        kind,
        message: errorMessage(e),
        hint: expired
          ? '二维码每隔一会儿就会更新，请重新扫描现场大屏上的二维码。'
          : notSigned
            ? '只有报名成功（不含候补）的人才能签到。'
            : isApiError(e) && /签到范围/.test(e.message)
              ? '请到活动地点附近后再试；如果您已在现场，可到窗边或室外让手机定位更准确。'
              : undefined,
        retry: !expired && !notSigned && !(isApiError(e) && e.status === 409),
        detail: notSigned,
      });
    }
  };

  // Once, on arrival from the scan: what the page showed then decides, not later renders.
  const onArrival = useEffectEvent(() => {
    if (!mine) return; // shown below: sign up first
    if (mine.checkinAt && mine.checkoutAt) return;
    if (mine.checkinAt) {
      // After the end, scanning again means 签退; before, ask (a second scan is often a mistake).
      if (Date.now() >= Date.parse(a.endsAt)) void run('checkout');
      return;
    }
    void run('checkin');
  });
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    onArrival();
  }, []);

  if (!mine)
    return (
      <Big ok={false} title="您还没有报名这个活动">
        <p className="act-result-text">签到前需要先报名，报名成功后再扫码签到。</p>
        <Link to={`/h5/activities/${a.id}`}>
          <Button type="primary" size="large" className="h5-big-button" block>
            查看活动并报名
          </Button>
        </Link>
      </Big>
    );
  if (mine.checkinAt && mine.checkoutAt && stage.step !== 'done')
    return (
      <Big ok title="您已完成签到和签退">
        <p className="act-result-text">
          签到 {formatMoment(mine.checkinAt)}，签退 {chinaTime(mine.checkoutAt)}。服务时长在活动结束后由组织方审核。
        </p>
      </Big>
    );

  switch (stage.step) {
    case 'confirm-checkout':
      return (
        <Big ok={null} title="现在签退吗？">
          <p className="act-result-text">
            您已于 <b>{chinaTime(mine.checkinAt!)}</b> 签到。活动 {chinaTime(a.endsAt)} 结束，提前签退会按实际在场时间计算服务时长。
          </p>
          <Button type="primary" size="large" block className="h5-big-button" onClick={() => void run('checkout')} data-testid="confirm-checkout">
            确认签退
          </Button>
          <Link to={`/h5/activities/${a.id}`}>
            <Button size="large" block className="h5-big-button" style={{ marginTop: 12 }}>
              暂不签退
            </Button>
          </Link>
        </Big>
      );
    case 'locating':
      return (
        <Big ok={null} title="正在确认您的位置…">
          <p className="act-result-text act-locate">
            <AimOutlined /> 本活动需要在现场签到。如果手机弹出“是否允许获取位置”，请点<b>“允许”</b>。
          </p>
        </Big>
      );
    case 'sending':
      return <Big ok={null} title={`正在${WORD[stage.kind]}…`} />;
    case 'done':
      return (
        <Big ok title={`${WORD[stage.kind]}成功`}>
          <div className="act-result-time" data-testid="checkin-time">
            {chinaTime(stage.at)}
          </div>
          <p className="act-result-text">
            {stage.kind === 'checkin' ? `活动结束（${chinaTime(a.endsAt)}）后，请再次扫码签退。` : '感谢您的参与！服务时长经组织方审核后计入“我的志愿”。'}
          </p>
          <Link to={`/h5/activities/${a.id}`}>
            <Button size="large" block className="h5-big-button">
              查看活动
            </Button>
          </Link>
        </Big>
      );
    case 'failed':
      return (
        <Big ok={false} title={`${WORD[stage.kind]}未成功`}>
          <p className="act-result-message" data-testid="checkin-message">
            {stage.message}
          </p>
          {stage.hint && <p className="act-result-text">{stage.hint}</p>}
          {stage.retry && (
            <Button
              type="primary"
              size="large"
              block
              className="h5-big-button"
              icon={<EnvironmentOutlined />}
              onClick={() => void run(stage.kind)}
              data-testid="checkin-retry"
            >
              重新{WORD[stage.kind]}
            </Button>
          )}
          {stage.detail && (
            <Link to={`/h5/activities/${a.id}`}>
              <Button size="large" block className="h5-big-button" style={{ marginTop: 12 }}>
                查看活动
              </Button>
            </Link>
          )}
        </Big>
      );
  }
}

/**
 * /h5/checkin/:id?code=… — where the QR code on the venue's screen leads: finds where the phone
 * is (when the activity has a check-in radius), then checks in, or out when already in.
 */
export function H5CheckinPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const code = params.get('code')?.trim() ?? '';
  // The activity as it was when the page opened: check-in changes mySignup, the flow must not restart.
  const q = useActivity(id);
  const [snapshot, setSnapshot] = useState<ActivityDto | null>(null);
  useEffect(() => {
    if (q.data && !snapshot) setSnapshot(q.data);
  }, [q.data, snapshot]);
  useDocumentTitle('扫码签到');
  if (q.isError && !snapshot) {
    if (isApiError(q.error) && q.error.status === 404)
      return (
        <div className="h5-page act-checkin">
          <Big ok={false} title="找不到这个活动">
            <p className="act-result-text">二维码可能已失效，请重新扫描现场的签到码。</p>
          </Big>
        </div>
      );
    return (
      <div className="h5-page act-checkin">
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  if (!snapshot)
    return (
      <div className="h5-page act-checkin">
        <section className="h5-card">
          <Skeleton active />
        </section>
      </div>
    );
  const a = snapshot;
  return (
    <div className="h5-page act-checkin">
      <section className="h5-card act-checkin-head">
        <div className="act-checkin-title" data-testid="checkin-activity">
          {a.title}
        </div>
        <div className="act-checkin-meta">{formatTimeRange(a.startsAt, a.endsAt)}</div>
        <div className="act-checkin-meta">{placeOf(a)}</div>
      </section>
      <section className="h5-card">
        {a.state !== 'published' ? (
          <Big ok={false} title={a.state === 'finished' ? '活动已结束' : a.state === 'cancelled' ? '活动已取消' : '活动尚未发布'}>
            <p className="act-result-text">现在不能签到或签退。</p>
          </Big>
        ) : code ? (
          <Flow a={a} code={code} />
        ) : (
          <Big ok={false} title="缺少签到码">
            <p className="act-result-text">
              <ScanOutlined /> 请用手机相机或微信“扫一扫”扫描活动现场大屏上的二维码。
            </p>
          </Big>
        )}
      </section>
    </div>
  );
}
