import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Points issued vs. redeemed per month, as grouped bars that follow the card's width. */
export function PointsChart({ months, issued, redeemed }: { months: string[]; issued: number[]; redeemed: number[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(
      {
        tooltip: { trigger: 'axis' },
        legend: { data: ['发放积分', '兑换积分'], top: 0 },
        grid: { left: 48, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: months },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: '发放积分', type: 'bar', data: issued, itemStyle: { color: '#c8102e' }, barMaxWidth: 28 },
          { name: '兑换积分', type: 'bar', data: redeemed, itemStyle: { color: '#faad14' }, barMaxWidth: 28 },
        ],
      },
      true,
    );
  }, [months, issued, redeemed]);
  return <div ref={ref} role="img" aria-label="每月发放与兑换积分" style={{ width: '100%', height: 280 }} />;
}
