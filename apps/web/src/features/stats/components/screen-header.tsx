import { useNow } from '../hooks/use-screen-stage';

const clockFmt = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
const dayFmt = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', timeZone: 'Asia/Shanghai' });

/** The screen's title bar: 返回上级 when drilled in, the org, the connection status and the clock. */
export function ScreenHeader({
  orgName,
  canGoBack,
  onBack,
  status,
  statusText,
}: {
  orgName?: string;
  canGoBack: boolean;
  onBack: () => void;
  status: string;
  statusText: string;
}) {
  const now = useNow(1000);
  return (
    <header className="scr-header">
      <div className="scr-header-left">
        {canGoBack && (
          <button type="button" className="scr-back" onClick={onBack}>
            ← 返回上级
          </button>
        )}
        <span className="scr-org">{orgName ?? '…'}</span>
      </div>
      <h1 className="scr-title">新时代文明实践 · 指挥调度大屏</h1>
      <div className="scr-header-right">
        <span className={`scr-dot scr-dot-${status}`} title={statusText} aria-label={statusText} data-status={status} />
        <span className="scr-status-text">{statusText}</span>
        <span className="scr-clock">
          <b>{clockFmt.format(now)}</b>
          <small>{dayFmt.format(now)}</small>
        </span>
      </div>
    </header>
  );
}
