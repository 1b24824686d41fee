import { NoData } from './screen-parts';
import { fmtHours } from './stats-format';

const timeFmt = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });

/** 服务时长排行: the five best teams and volunteers by certified hours. */
export function TopLists({
  top,
}: {
  top?: { teams: { id: string; name: string; hours: number }[]; volunteers: { id: string; name: string; orgName: string; hours: number }[] };
}) {
  if (!top) return <NoData text="加载中…" />;
  const list = (rows: { id: string; name: string; sub?: string; hours: number }[], empty: string) =>
    rows.length ? (
      <ol className="scr-top">
        {rows.slice(0, 5).map((r, i) => (
          <li key={r.id}>
            <span className={`scr-rank scr-rank-${i + 1}`}>{i + 1}</span>
            <span className="scr-top-name" title={r.name}>
              {r.name}
              {r.sub && <small>{r.sub}</small>}
            </span>
            <b>{fmtHours(r.hours)}</b>
          </li>
        ))}
      </ol>
    ) : (
      <NoData text={empty} />
    );
  return (
    <div className="scr-tops">
      <div>
        <h3>优秀队伍（小时）</h3>
        {list(top.teams, '暂无认证时长')}
      </div>
      <div>
        <h3>服务之星（小时）</h3>
        {list(
          top.volunteers.map((v) => ({ ...v, sub: v.orgName.replace(/新时代文明实践(中心|所|站|点)$/, '') })),
          '暂无认证时长',
        )}
      </div>
    </div>
  );
}

const KIND_LABEL: Record<string, string> = { 'order.submitted': '点单', 'order.accepted': '接单', 'order.forwarded': '转办', 'activity.published': '活动' };

/** 实时动态: the latest news of the live feed, newest first. */
export function Ticker({ items }: { items: { id: string; kind: string; at: string; text: string; fresh?: boolean }[] }) {
  if (!items.length) return <NoData text="等待新的动态…" />;
  return (
    <ul className="scr-ticker" data-testid="ticker">
      {items.slice(0, 9).map((e) => (
        <li key={e.id} className={e.fresh ? 'fresh' : ''}>
          <time>{timeFmt.format(new Date(e.at))}</time>
          <span className={`scr-kind scr-kind-${e.kind.replace('.', '-')}`}>{KIND_LABEL[e.kind] ?? '动态'}</span>
          <span className="scr-ticker-text">{e.text}</span>
        </li>
      ))}
    </ul>
  );
}
