import { useMemo } from 'react';
import type { StatsDistrictRow, StatsMap } from '@wenming/contracts';
import { EChart } from '../../../components/echart';
import { escapeHtml } from '../../../lib/escape-html';
import { echarts } from './echarts-parts';
import { LEVEL_COLORS, MAP_METRICS, NoData, type MapMetric } from './screen-parts';
import { fmtHours, fmtInt, fmtPct, LEVEL_NAMES } from './stats-format';

/**
 * The districts coloured by the chosen figure, with the sites as points (a city shows only its
 * centers and institutes); a click on a district or a site drills down into it.
 */
export function DistrictMap({ map, rows, metric, onDrill }: { map?: StatsMap; rows?: StatsDistrictRow[]; metric: MapMetric; onDrill: (id: string) => void }) {
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
