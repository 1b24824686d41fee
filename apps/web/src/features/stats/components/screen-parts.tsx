import type { ReactNode } from 'react';

export type MapMetric = 'volunteers' | 'activities' | 'orders' | 'serviceHours' | 'responseRate';
export const MAP_METRICS: { key: MapMetric; label: string; rate?: boolean }[] = [
  { key: 'volunteers', label: '志愿者' },
  { key: 'activities', label: '活动' },
  { key: 'orders', label: '工单' },
  { key: 'serviceHours', label: '服务时长' },
  { key: 'responseRate', label: '响应率', rate: true },
];
export const SITE_LEVELS = ['center', 'institute', 'station', 'point'] as const;
export const LEVEL_COLORS: Record<string, string> = { center: '#ffd166', institute: '#4cc9f0', station: '#80ed99', point: '#f7a1c4' };

/** The axes of the screen's charts: light text on the dark stage. */
export const axisStyle = {
  axisLine: { lineStyle: { color: '#3b5b8c' } },
  axisLabel: { color: '#b8cff5', fontSize: 16 },
  splitLine: { lineStyle: { color: 'rgba(80,120,180,0.18)' } },
};

export function fmtMinutes(m: number) {
  if (m < 60) return `${Math.round(m)} 分钟`;
  const h = m / 60;
  return h < 48 ? `${h.toFixed(1)} 小时` : `${(h / 24).toFixed(1)} 天`;
}

export function Panel({ title, extra, children, className }: { title: string; extra?: ReactNode; children: ReactNode; className?: string }) {
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

export function NoData({ text = '暂无数据' }: { text?: string }) {
  return <div className="scr-nodata">{text}</div>;
}

export function Counter({ label, value, unit, testId }: { label: string; value: string | undefined; unit: string; testId: string }) {
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
