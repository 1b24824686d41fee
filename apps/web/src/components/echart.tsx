import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';

// The chart types and components are not registered here: each page registers with
// `echarts.use([...])` only the parts it draws, so a page's chunk carries no more of ECharts
// than it needs (the big screen's map and gauges stay out of the scorecard, and so on).

export type EChartsOption = EChartsCoreOption;

export interface EChartProps {
  option: EChartsOption;
  style?: React.CSSProperties;
  className?: string;
  /** Replace the whole option instead of merging (when series come and go). */
  notMerge?: boolean;
  onEvents?: Record<string, (params: unknown) => void>;
  theme?: 'dark';
  ariaLabel?: string;
}

/** A small React wrapper around one ECharts instance: sets the option, follows the element's size. */
export function EChart({ option, style, className, notMerge, onEvents, theme, ariaLabel }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const handlers = useRef(onEvents);
  handlers.current = onEvents;

  useEffect(() => {
    const node = el.current!;
    const c = echarts.init(node, theme, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge });
  }, [option, notMerge]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onEvents) return;
    const names = Object.keys(onEvents);
    for (const n of names) c.on(n, (p: unknown) => handlers.current?.[n]?.(p));
    return () => {
      for (const n of names) c.off(n);
    };
    // The handlers are read through the ref; re-bind only when the event names change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [Object.keys(onEvents ?? {}).join(',')]);

  return <div ref={el} className={className} style={{ width: '100%', height: '100%', ...style }} role="img" aria-label={ariaLabel} />;
}
