import { errorMessage } from '../../../lib/api-client';
import { useScreenDashboard } from '../hooks/use-screen-dashboard';
import { STAGE_H, STAGE_W, useStageScale } from '../hooks/use-screen-stage';
import { LoopRates, SupplyDemand, Trend } from './screen-charts';
import { DistrictMap } from './screen-district-map';
import { ScreenHeader } from './screen-header';
import { TopLists, Ticker } from './screen-lists';
import { Counter, LEVEL_COLORS, MAP_METRICS, Panel, SITE_LEVELS } from './screen-parts';
import { fmtHours, fmtInt, LEVEL_NAMES } from './stats-format';
import './screen.css';

/**
 * /screen/dashboard[/:orgId] — 指挥调度大屏: a 1920×1080 dark stage for a wall screen. The map of
 * the districts coloured by a chosen figure with the sites as points (click a district to drill
 * down), headline counters, the loop's three rates, 供需对接, monthly trends, the best teams and
 * volunteers, and a live ticker. Figures refresh every minute and when the live feed brings news;
 * the status dot shows the connection, and the feed reconnects by itself after a drop.
 */
export function ScreenDashboardPage() {
  const scale = useStageScale();
  const d = useScreenDashboard();
  const { mapQ, overview: o, metric } = d;
  return (
    <div className="scr-root">
      <div className="scr-stage" style={{ width: STAGE_W, height: STAGE_H, transform: `scale(${scale})` }}>
        <ScreenHeader orgName={mapQ.data?.org?.name} canGoBack={d.canGoBack} onBack={d.back} status={d.status} statusText={d.statusText} />

        {mapQ.isError && !mapQ.data ? (
          <div className="scr-fatal">
            <p>{errorMessage(mapQ.error)}</p>
            <button type="button" className="scr-back" onClick={() => void mapQ.refetch()}>
              重试
            </button>
          </div>
        ) : (
          <main className="scr-main">
            <div className="scr-col">
              <Panel title="阵地分布">
                <div className="scr-levels">
                  {SITE_LEVELS.map((l) => (
                    <div key={l} className="scr-level">
                      <i style={{ background: LEVEL_COLORS[l] }} />
                      <span>{LEVEL_NAMES[l]}</span>
                      <b data-testid={`sites-${l}`}>{o ? fmtInt(o.orgs[l]) : '—'}</b>
                    </div>
                  ))}
                </div>
              </Panel>
              <Panel title="群众点单 · 三率" className="scr-rates">
                <LoopRates o={o} />
              </Panel>
              <Panel title="供需对接 · 服务类别" className="scr-grow">
                <SupplyDemand items={d.categories} />
              </Panel>
            </div>

            <div className="scr-center">
              <div className="scr-counters">
                <Counter label="注册志愿者" value={o && fmtInt(o.volunteers)} unit="人" testId="volunteers" />
                <Counter label="志愿队伍" value={o && fmtInt(o.teams)} unit="支" testId="teams" />
                <Counter label="开展活动" value={o && fmtInt(o.activities)} unit="场" testId="activities" />
                <Counter label="服务时长" value={o && fmtHours(o.serviceHours)} unit="小时" testId="hours" />
                <Counter label="服务人次" value={o && fmtInt(o.peopleServed.total)} unit="人次" testId="served" />
                <Counter label="本月工单" value={d.thisMonth === undefined ? undefined : fmtInt(d.thisMonth)} unit="单" testId="orders-month" />
              </div>
              <section className="scr-map scr-panel">
                <div className="scr-map-tabs" role="tablist" aria-label="地图着色指标">
                  {MAP_METRICS.map((m) => (
                    <button
                      key={m.key}
                      type="button"
                      role="tab"
                      aria-selected={metric === m.key}
                      className={metric === m.key ? 'on' : ''}
                      onClick={() => d.setMetric(m.key)}
                    >
                      {m.label}
                    </button>
                  ))}
                </div>
                <DistrictMap map={mapQ.data} rows={d.districts} metric={metric} onDrill={d.drill} />
                <div className="scr-legend">
                  {SITE_LEVELS.map((l) => (
                    <span key={l}>
                      <i style={{ background: LEVEL_COLORS[l] }} />
                      {LEVEL_NAMES[l]}
                    </span>
                  ))}
                  <span className="scr-hint">点击区域或站点下钻</span>
                </div>
              </section>
            </div>

            <div className="scr-col">
              <Panel title="月度趋势（近12个月）" className="scr-h300">
                <Trend data={d.trend} />
              </Panel>
              <Panel title="服务时长排行">
                <TopLists top={d.top} />
              </Panel>
              <Panel title="实时动态" className="scr-grow" extra={<span className="scr-live-tag">LIVE</span>}>
                <Ticker items={d.feedItems} />
              </Panel>
            </div>
          </main>
        )}
      </div>
    </div>
  );
}
