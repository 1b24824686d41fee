import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Drawer, Typography } from 'antd';
import { CameraOutlined, ScanOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { publicOrigin } from '../../../lib/public-origin';

/** The browser's barcode reader (Chrome on Android and others); not in TypeScript's DOM library yet. */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorCtor = new (opts: { formats: string[] }) => BarcodeDetectorLike;

function detectorCtor(): BarcodeDetectorCtor | null {
  const c = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  return typeof c === 'function' && !!navigator.mediaDevices?.getUserMedia ? c : null;
}

/** The in-app path of a scanned check-in link of this site, or null. */
function checkinPath(raw: string): string | null {
  try {
    const u = new URL(raw, window.location.origin);
    if ((u.origin !== window.location.origin && u.origin !== publicOrigin()) || !/^\/h5\/checkin\/[^/]+$/.test(u.pathname) || !u.searchParams.get('code'))
      return null;
    return `${u.pathname}${u.search}`;
  } catch {
    return null;
  }
}

function Camera({ onFound }: { onFound: (path: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [wrong, setWrong] = useState(false);
  const found = useRef(onFound);
  found.current = onFound;
  useEffect(() => {
    const Ctor = detectorCtor();
    if (!Ctor) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const detector = new Ctor({ formats: ['qr_code'] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        await video.current.play().catch(() => undefined);
        const tick = async () => {
          if (stopped || !video.current) return;
          try {
            for (const code of await detector.detect(video.current)) {
              const path = checkinPath(code.rawValue);
              if (path) {
                found.current(path);
                return;
              }
              setWrong(true);
            }
          } catch {
            /* a frame that could not be read */
          }
          timer = window.setTimeout(() => void tick(), 300);
        };
        void tick();
      })
      .catch(() => setError('无法打开摄像头。请在浏览器设置中允许使用摄像头，或直接用手机相机、微信扫一扫扫码。'));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);
  if (error) return <Alert type="warning" showIcon title={error} />;
  return (
    <div className="act-camera">
      <video ref={video} playsInline muted />
      <div className="act-camera-frame" aria-hidden="true" />
      {wrong && <div className="act-camera-wrong">这不是本平台的签到码，请对准现场大屏上的二维码</div>}
    </div>
  );
}

/**
 * 扫码签到 / 签退 from the detail page: how to scan the code on the screen at the venue, and, where
 * the browser can read QR codes itself, a camera view that does it here.
 */
export function ScanSheet({ open, onClose, kind }: { open: boolean; onClose: () => void; kind: 'checkin' | 'checkout' }) {
  const navigate = useNavigate();
  const [camera, setCamera] = useState(false);
  const canScan = !!detectorCtor();
  const word = kind === 'checkin' ? '签到' : '签退';
  return (
    <Drawer
      open={open}
      onClose={() => {
        setCamera(false);
        onClose();
      }}
      placement="bottom"
      size="auto"
      title={`扫码${word}`}
      rootClassName="act-sheet"
      destroyOnHidden
    >
      <div className="act-scan" data-testid="scan-sheet">
        {camera ? (
          <Camera onFound={(path) => navigate(path)} />
        ) : (
          <>
            <ScanOutlined className="act-scan-icon" />
            <Typography.Paragraph className="act-scan-text">
              请到活动现场，用<b>手机相机</b>或<b>微信“扫一扫”</b>扫描大屏上的{word}二维码，打开后按提示完成{word}。
            </Typography.Paragraph>
            {kind === 'checkin' && <Typography.Paragraph type="secondary">签到时会请您允许获取位置，用于确认您在活动现场。</Typography.Paragraph>}
          </>
        )}
        {canScan && !camera && (
          <Button type="primary" size="large" block icon={<CameraOutlined />} className="h5-big-button" onClick={() => setCamera(true)}>
            在这里打开相机扫码
          </Button>
        )}
      </div>
    </Drawer>
  );
}
