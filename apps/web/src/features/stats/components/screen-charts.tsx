import { useMemo } from 'react';
import { EChart } from '../../../components/echart';
import type { StatsOverview } from '../api/stats-api';
import { echarts } from './echarts-parts';
import { axisStyle, fmtMinutes, NoData } from './screen-parts';
import { fmtInt, fmtPct } from './stats-format';

/** A half-ring gauge of a rate, its value in the middle. */
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

/** 群众点单 · 三率: the response, resolution and satisfaction gauges, the time to accept and the total. */
export function LoopRates({ o }: { o?: StatsOverview }) {
  return (
    <>
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
    </>
  );
}

/** 供需对接: per category, the demand (orders) against the supply (teams, volunteers). */
export function SupplyDemand({ items }: { items?: { name: string; orders: number; teams: number; volunteers: number; activities: number }[] }) {
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

/** 月度趋势: orders, activities and new volunteers a month, and the service hours on the right axis. */
export function Trend({
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
