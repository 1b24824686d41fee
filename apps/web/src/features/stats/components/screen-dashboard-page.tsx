import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import type { StatsDistrictRow, StatsMap } from '@wenming/contracts';
import { errorMessage } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { escapeHtml } from '../../../lib/escape-html';
import { useStatsCategories, useStatsDistricts, useStatsMap, useStatsOverview, useStatsTop, useStatsTrend } from '../api/stats-api';
import { useLiveFeed } from '../api/use-live-feed';
import { EChart } from '../../../components/echart';
import { echarts } from './echarts-parts';
import { fmtHours, fmtInt, fmtPct, LEVEL_NAMES } from './stats-format';
import './screen.css';

const REFRESH_MS = 60_000;
const W = 1920;
const H = 1080;

type MapMetric = 'volunteers' | 'activities' | 'orders' | 'serviceHours' | 'responseRate';
const MAP_METRICS: { key: MapMetric; label: string; rate?: boolean }[] = [
  { key: 'volunteers', label: '志愿者' },
  { key: 'activities', label: '活动' },
  { key: 'orders', label: '工单' },
  { key: 'serviceHours', label: '服务时长' },
  { key: 'responseRate', label: '响应率', rate: true },
];
const LEVEL_COLORS: Record<string, string> = { center: '#ffd166', institute: '#4cc9f0', station: '#80ed99', point: '#f7a1c4' };

function useNow(ms: number) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = window.setInterval(() => setNow(new Date()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
}
const clockFmt = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
const dayFmt = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', timeZone: 'Asia/Shanghai' });
const timeFmt = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });

/** Scales the 1920×1080 stage to the window, keeping its proportions. */
function useStageScale() {
  const [scale, setScale] = useState(1);
  useLayoutEffect(() => {
    const f = () => setScale(Math.min(window.innerWidth / W, window.innerHeight / H));
    f();
    window.addEventListener('resize', f);
    return () => window.removeEventListener('resize', f);
  }, []);
  return scale;
}

function Panel({ title, extra, children, className }: { title: string; extra?: React.ReactNode; children: React.ReactNode; className?: string }) {
  return (
    <section className={`scr-panel ${className ?? ''}`}>
      <header className="scr-panel-head">
        <h2>{title}</h2>
        {extra}
      </header>
      <div className="scr-panel-body">{children}</div>
    </section>
  );
}

function NoData({ text = '暂无数据' }: { text?: string }) {
  return <div className="scr-nodata">{text}</div>;
}

const axisStyle = {
  axisLine: { lineStyle: { color: '#3b5b8c' } },
  axisLabel: { color: '#b8cff5', fontSize: 16 },
  splitLine: { lineStyle: { color: 'rgba(80,120,180,0.18)' } },
};

function gaugeOption(value: number, color: string) {
  return {
    series: [
      {
        type: 'gauge',
        startAngle: 220,
        endAngle: -40,
        min: 0,
        max: 100,
        radius: '92%',
        center: ['50%', '56%'],
        progress: { show: true, width: 14, itemStyle: { color } },
        axisLine: { lineStyle: { width: 14, color: [[1, 'rgba(90,130,200,0.22)']] } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: { valueAnimation: true, offsetCenter: [0, '6%'], fontSize: 27, fontWeight: 700, color: '#fff', formatter: '{value}%' },
        data: [{ value: Math.round(value * 1000) / 10 }],
      },
    ],
  };
}

/**
 * /screen/dashboard[/:orgId] — 指挥调度大屏: a 1920×1080 dark stage for a wall screen. The map of
 * the districts coloured by a chosen figure with the sites as points (click a district to drill
 * down), headline counters, the loop's three rates, 供需对接, monthly trends, the best teams and
 * volunteers, and a live ticker. Figures refresh every minute and when the live feed brings news;
 * the status dot shows the connection, and the feed reconnects by itself after a drop.
 */
export function ScreenDashboardPage() {
  const params = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const trail = ((location.state as { trail?: string[] } | null)?.trail ?? []) as string[];
  const scale = useStageScale();
  const now = useNow(1000);
  const qc = useQueryClient();
  const [metric, setMetric] = useState<MapMetric>('volunteers');

  // The map resolves the org in focus (the one in the address, else the caller's own).
  const mapQ = useStatsMap(params.orgId);
  const orgId = params.orgId ?? mapQ.data?.org?.id;
  const ready = !!orgId;
  const live = { refetchInterval: REFRESH_MS };
  const overview = useStatsOverview(orgId, live, ready);
  const trend = useStatsTrend(orgId, 12, live, ready);
  const cats = useStatsCategories({ orgId }, live, ready);
  const top = useStatsTop({ orgId }, live, ready);
  const districts = useStatsDistricts({ orgId }, live, ready);
  useDocumentTitle(mapQ.data?.org ? `${mapQ.data.org.name} 指挥调度大屏` : '指挥调度大屏');

  // News from the feed: refresh the counters soon (at most every 5 s).
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const feed = useLiveFeed(orgId, {
    enabled: ready,
    onEvent: () => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        void qc.invalidateQueries({ queryKey: ['stats', 'overview'] });
        void qc.invalidateQueries({ queryKey: ['stats', 'districts'] });
      }, 3000);
    },
  });
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);

  const dataDown = overview.isError || (mapQ.isError && !mapQ.data);
  const status = dataDown ? 'down' : feed.status;
  const statusText = status === 'open' ? '实时连接正常' : status === 'connecting' ? '正在连接…' : '连接中断，自动重连中';

  const drill = (id: string) => {
    if (!id || id === orgId) return;
    navigate(`/screen/dashboard/${id}`, { state: { trail: [...trail, orgId] } });
  };
  const back = () => {
    const prev = trail.at(-1);
    if (prev) navigate(`/screen/dashboard/${prev}`, { state: { trail: trail.slice(0, -1) } });
    else if (mapQ.data?.org?.parentId) navigate(`/screen/dashboard/${mapQ.data.org.parentId}`);
  };
  const canGoBack = trail.length > 0;

  const o = overview.data;
  const thisMonth = trend.data ? trend.data.series.orders.at(-1) : undefined;

  return (
    <div className="scr-root">
      <div className="scr-stage" style={{ width: W, height: H, transform: `scale(${scale})` }}>
        <header className="scr-header">
          <div className="scr-header-left">
            {canGoBack && (
              <button type="button" className="scr-back" onClick={back}>
                ← 返回上级
              </button>
            )}
            <span className="scr-org">{mapQ.data?.org?.name ?? '…'}</span>
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
                  {(['center', 'institute', 'station', 'point'] as const).map((l) => (
                    <div key={l} className="scr-level">
                      <i style={{ background: LEVEL_COLORS[l] }} />
                      <span>{LEVEL_NAMES[l]}</span>
                      <b data-testid={`sites-${l}`}>{o ? fmtInt(o.orgs[l]) : '—'}</b>
                    </div>
                  ))}
                </div>
              </Panel>
              <Panel title="群众点单 · 三率" className="scr-rates">
                {o ? (
                  <div className="scr-gauges">
                    {[
                      { label: '响应率', v: o.orders.responseRate, c: '#4cc9f0' },
                      { label: '办结率', v: o.orders.resolutionRate, c: '#80ed99' },
                      { label: '满意率', v: o.orders.satisfactionRate, c: '#ffd166' },
                    ].map((g) => (
                      <div key={g.label} className="scr-gauge">
                        <div className="scr-gauge-chart">
                          <EChart option={gaugeOption(g.v, g.c)} ariaLabel={`${g.label} ${fmtPct(g.v)}`} />
                        </div>
                        <span>{g.label}</span>
                      </div>
                    ))}
                  </div>
                ) : (
                  <NoData text="加载中…" />
                )}
                <div className="scr-accept">
                  平均接单用时 <b>{o?.orders.avgAcceptMinutes == null ? '—' : fmtMinutes(o.orders.avgAcceptMinutes)}</b>
                  <span>工单累计 {o ? fmtInt(o.orders.total) : '—'}</span>
                </div>
              </Panel>
              <Panel title="供需对接 · 服务类别" className="scr-grow">
                <SupplyDemand items={cats.data?.items} />
              </Panel>
            </div>

            <div className="scr-center">
              <div className="scr-counters">
                <Counter label="注册志愿者" value={o && fmtInt(o.volunteers)} unit="人" testId="volunteers" />
                <Counter label="志愿队伍" value={o && fmtInt(o.teams)} unit="支" testId="teams" />
                <Counter label="开展活动" value={o && fmtInt(o.activities)} unit="场" testId="activities" />
                <Counter label="服务时长" value={o && fmtHours(o.serviceHours)} unit="小时" testId="hours" />
                <Counter label="本月工单" value={thisMonth === undefined ? undefined : fmtInt(thisMonth)} unit="单" testId="orders-month" />
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
                      onClick={() => setMetric(m.key)}
                    >
                      {m.label}
                    </button>
                  ))}
                </div>
                <DistrictMap map={mapQ.data} rows={districts.data?.items} metric={metric} onDrill={drill} />
                <div className="scr-legend">
                  {(['center', 'institute', 'station', 'point'] as const).map((l) => (
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
                <Trend data={trend.data} />
              </Panel>
              <Panel title="服务时长排行">
                <TopLists top={top.data} />
              </Panel>
              <Panel title="实时动态" className="scr-grow" extra={<span className="scr-live-tag">LIVE</span>}>
                <Ticker items={feed.items} />
              </Panel>
            </div>
          </main>
        )}
      </div>
    </div>
  );
}

function fmtMinutes(m: number) {
  if (m < 60) return `${Math.round(m)} 分钟`;
  const h = m / 60;
  return h < 48 ? `${h.toFixed(1)} 小时` : `${(h / 24).toFixed(1)} 天`;
}

function Counter({ label, value, unit, testId }: { label: string; value: string | undefined; unit: string; testId: string }) {
  return (
    <div className="scr-counter">
      <span className="scr-counter-label">{label}</span>
      <span className="scr-counter-value" data-testid={`counter-${testId}`}>
        {value ?? '—'}
        <small>{unit}</small>
      </span>
    </div>
  );
}

function SupplyDemand({ items }: { items?: { name: string; orders: number; teams: number; volunteers: number; activities: number }[] }) {
  const option = useMemo(() => {
    if (!items) return null;
    const rows = items.filter((r) => r.orders || r.teams || r.volunteers || r.activities).slice(0, 10);
    if (!rows.length) return null;
    return {
      grid: { left: 110, right: 24, top: 40, bottom: 24 },
      legend: { top: 0, right: 8, textStyle: { color: '#cfe0ff', fontSize: 16 }, itemWidth: 16, itemHeight: 10 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', ...axisStyle, axisLabel: { ...axisStyle.axisLabel, fontSize: 14 } },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), ...axisStyle, axisLabel: { color: '#e6f0ff', fontSize: 17 } },
      series: [
        { name: '需求（工单）', type: 'bar', barWidth: 9, data: rows.map((r) => r.orders), itemStyle: { color: '#ff7b7b', borderRadius: 4 } },
        { name: '供给（队伍）', type: 'bar', barWidth: 9, data: rows.map((r) => r.teams), itemStyle: { color: '#4cc9f0', borderRadius: 4 } },
        { name: '志愿者', type: 'bar', barWidth: 9, data: rows.map((r) => r.volunteers), itemStyle: { color: '#80ed99', borderRadius: 4 } },
      ],
    };
  }, [items]);
  if (!items) return <NoData text="加载中…" />;
  if (!option) return <NoData />;
  return <EChart option={option} notMerge ariaLabel="供需对接图" />;
}

function Trend({
  data,
}: {
  data?: { months: string[]; series: { orders: number[]; solved: number[]; activities: number[]; serviceHours: number[]; newVolunteers: number[] } };
}) {
  const option = useMemo(() => {
    if (!data) return null;
    return {
      grid: { left: 56, right: 60, top: 44, bottom: 30 },
      legend: { top: 0, textStyle: { color: '#cfe0ff', fontSize: 15 }, itemWidth: 18, itemHeight: 8 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: data.months.map((m) => `${Number(m.slice(5))}月`),
        boundaryGap: false,
        ...axisStyle,
        axisLabel: { ...axisStyle.axisLabel, fontSize: 14 },
      },
      yAxis: [
        { type: 'value', ...axisStyle, axisLabel: { ...axisStyle.axisLabel, fontSize: 14 } },
        { type: 'value', ...axisStyle, splitLine: { show: false }, axisLabel: { ...axisStyle.axisLabel, fontSize: 14 } },
      ],
      series: [
        { name: '工单', type: 'line', smooth: true, symbol: 'circle', symbolSize: 6, data: data.series.orders, itemStyle: { color: '#ff7b7b' } },
        { name: '活动', type: 'line', smooth: true, symbol: 'circle', symbolSize: 6, data: data.series.activities, itemStyle: { color: '#ffd166' } },
        { name: '新增志愿者', type: 'line', smooth: true, symbol: 'circle', symbolSize: 6, data: data.series.newVolunteers, itemStyle: { color: '#80ed99' } },
        {
          name: '服务时长',
          type: 'line',
          yAxisIndex: 1,
          smooth: true,
          symbol: 'none',
          areaStyle: {
            color: new echarts.graphic.LinearGradient(0, 0, 0, 1, [
              { offset: 0, color: 'rgba(76,201,240,0.45)' },
              { offset: 1, color: 'rgba(76,201,240,0)' },
            ]),
          },
          data: data.series.serviceHours,
          itemStyle: { color: '#4cc9f0' },
        },
      ],
    };
  }, [data]);
  if (!option) return <NoData text="加载中…" />;
  return <EChart option={option} ariaLabel="月度趋势图" />;
}

function TopLists({
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

function Ticker({ items }: { items: { id: string; kind: string; at: string; text: string; fresh?: boolean }[] }) {
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

function DistrictMap({ map, rows, metric, onDrill }: { map?: StatsMap; rows?: StatsDistrictRow[]; metric: MapMetric; onDrill: (id: string) => void }) {
  const registered = useMemo(() => {
    if (!map?.geojson) return null;
    echarts.registerMap(map.mapName, map.geojson as never);
    return map.mapName;
  }, [map]);
  const option = useMemo(() => {
    if (!map || !registered) return null;
    const m = MAP_METRICS.find((x) => x.key === metric)!;
    const byOrg = new Map((rows ?? []).map((r) => [r.orgId, r]));
    const features = (map.geojson!.features as { properties: { name: string; orgId: string | null } }[]).map((f) => f.properties);
    // A single district (drilled in): colour it with the district's own total.
    const single = features.length === 1;
    const data = features.map((f) => {
      const v = single
        ? (rows ?? []).reduce((a, r) => a + Number(r[metric] ?? 0), 0) / (m.rate ? Math.max(1, rows?.length ?? 1) : 1)
        : f.orgId
          ? Number(byOrg.get(f.orgId)?.[metric] ?? 0)
          : 0;
      return { name: f.name, value: m.rate ? Math.round(v * 1000) / 10 : v, orgId: f.orgId };
    });
    const max = Math.max(1, ...data.map((d) => d.value));
    // A city has thousands of stations: the city view shows centers and institutes, a drilled-in view all.
    const points = map.points.length > 400 ? map.points.filter((p) => p.level === 'center' || p.level === 'institute') : map.points;
    return {
      tooltip: {
        trigger: 'item',
        backgroundColor: 'rgba(8,22,48,0.92)',
        borderColor: '#3a7bd5',
        textStyle: { color: '#fff', fontSize: 18 },
        formatter: (p: { seriesType: string; name: string; value: number | number[]; data?: { level?: string; orgId?: string } }) => {
          if (p.seriesType === 'map') {
            const r = p.data?.orgId ? byOrg.get(p.data.orgId) : undefined;
            if (!r) return `${escapeHtml(p.name)}<br/>${m.label}：${p.value ?? 0}${m.rate ? '%' : ''}`;
            return `<b>${escapeHtml(p.name)}</b><br/>志愿者 ${fmtInt(r.volunteers)} · 队伍 ${fmtInt(r.teams)}<br/>活动 ${fmtInt(r.activities)} · 工单 ${fmtInt(r.orders)}<br/>服务时长 ${fmtHours(r.serviceHours)} 小时<br/>响应率 ${fmtPct(r.responseRate)} · 满意率 ${fmtPct(r.satisfactionRate)}`;
          }
          return `${escapeHtml(p.name)}<br/>${LEVEL_NAMES[p.data?.level ?? ''] ?? ''}`;
        },
      },
      visualMap: {
        show: !single,
        min: 0,
        max: m.rate ? 100 : max,
        left: 24,
        bottom: 24,
        calculable: false,
        itemHeight: 160,
        text: [m.rate ? '100%' : fmtInt(max), '0'],
        textStyle: { color: '#cfe0ff', fontSize: 15 },
        inRange: { color: single ? ['#134a8a', '#134a8a'] : ['#11315e', '#1b5aa6', '#2f8fd8', '#48c3f5', '#9ff0ff'] },
        seriesIndex: 0,
      },
      geo: {
        map: registered,
        roam: false,
        layoutCenter: ['50%', '53%'],
        layoutSize: '92%',
        label: { show: true, color: '#ffffff', fontSize: 18, fontWeight: 600, textBorderColor: '#061a3a', textBorderWidth: 3 },
        itemStyle: { areaColor: '#11315e', borderColor: '#7fd1ff', borderWidth: 1.5, shadowColor: 'rgba(0,160,255,0.5)', shadowBlur: 18 },
        emphasis: { label: { color: '#fff' }, itemStyle: { areaColor: '#ffb703' } },
        select: { disabled: true },
      },
      series: [
        { type: 'map', geoIndex: 0, data },
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          zlevel: 2,
          data: points.map((p) => ({ name: p.name, value: [p.lng, p.lat], level: p.level, id: p.id })),
          symbolSize: (_v: unknown, p: { data: { level: string } }) => ({ center: 9, institute: 7, station: 5, point: 5 })[p.data.level] ?? 5,
          itemStyle: {
            color: (p: { data: { level: string } }) => LEVEL_COLORS[p.data.level] ?? '#fff',
            opacity: 0.9,
            shadowBlur: 6,
            shadowColor: 'rgba(255,255,255,0.5)',
          },
        },
      ],
    };
  }, [map, registered, rows, metric]);
  if (!map) return <NoData text="地图加载中…" />;
  if (!option) return <NoData text="该阵地没有可显示的区县边界" />;
  return (
    <div className="scr-map-chart" data-testid="district-map">
      <EChart
        option={option}
        notMerge
        ariaLabel="区县地图"
        onEvents={{
          click: (p) => {
            const d = (p as { data?: { orgId?: string | null; id?: string } }).data;
            const id = d?.orgId ?? d?.id;
            if (id) onDrill(id);
          },
        }}
      />
    </div>
  );
}
