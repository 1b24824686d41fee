import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { EChart, type EChartsOption } from '../../../components/echart';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Points issued vs. redeemed per month, as grouped bars that follow the card's width. */
export function PointsChart({ months, issued, redeemed }: { months: string[]; issued: number[]; redeemed: number[] }) {
  const option = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['发放积分', '兑换积分'], top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '发放积分', type: 'bar', data: issued, itemStyle: { color: '#c8102e' }, barMaxWidth: 28 },
        { name: '兑换积分', type: 'bar', data: redeemed, itemStyle: { color: '#faad14' }, barMaxWidth: 28 },
      ],
    }),
    [months, issued, redeemed],
  );
  return <EChart option={option} notMerge style={{ height: 280 }} ariaLabel="每月发放与兑换积分" />;
}
