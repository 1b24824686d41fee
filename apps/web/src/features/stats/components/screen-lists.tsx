import { NoData } from './screen-parts';
import { fmtHours } from './stats-format';

const timeFmt = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });

/**
 * 服务时长排行: the five best teams by the verified hours they served inside the area shown, in the
 * period (so one team has fewer hours on a district's view than on the city's when it also serves
 * elsewhere), and the five volunteers with the most verified hours in total. The headings say so.
 */
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
        <h3 title="本期内，队伍在本辖区提供并经认证的服务时长">
          优秀队伍<small>本期·本辖区服务时长</small>
        </h3>
        {list(top.teams, '暂无认证时长')}
      </div>
      <div>
        <h3 title="志愿者累计认证的服务时长（不限时段与地区）">
          服务之星<small>累计认证时长</small>
        </h3>
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
