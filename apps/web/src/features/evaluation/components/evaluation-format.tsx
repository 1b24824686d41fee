import { Segmented, Select, Space, Tag, Tooltip } from 'antd';
import { METRIC_INFO, type EvaluationFlagDto, type EvaluationMetric, type FlagSeverity, type IndicatorResultDto } from '@wenming/contracts';

/** The current month and year in China time. */
export function currentPeriods(): { month: string; year: string } {
  const d = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  return { month: d.slice(0, 7), year: d.slice(0, 4) };
}

export function periodLabel(period: string): string {
  return period.length === 7 ? `${period.slice(0, 4)}年${Number(period.slice(5))}月` : `${period}年度`;
}

/** A metric's value as people read it: rates in %, others with their unit. */
export function formatMetric(metric: EvaluationMetric, v: number | null | undefined): string {
  if (v === null || v === undefined) return '暂无数据';
  const info = METRIC_INFO[metric];
  if (info.unit === 'ratio') return `${Math.round(v * 1000) / 10}%`;
  return `${v} ${info.unitLabel}`;
}

/**
 * An indicator's measured value as people read it: 样本不足 (with the cases) where a rate rests on
 * too few cases to be a rate, 暂无数据 where there was nothing to measure (issue 18).
 */
export function indicatorValueText(i: Pick<IndicatorResultDto, 'metric' | 'value' | 'status' | 'sample'>): string {
  if (i.status === 'insufficient') return `样本不足（仅 ${i.sample ?? 0} 件）`;
  return formatMetric(i.metric, i.value);
}

/** What an indicator's score stands for when it has none. */
export function scoreText(i: Pick<IndicatorResultDto, 'score' | 'status'>): string {
  if (i.score !== null) return String(i.score);
  return i.status === 'insufficient' ? '样本不足' : '暂无数据';
}

export function scoreColor(score: number | null | undefined): string {
  if (score === null || score === undefined) return '#bfbfbf';
  if (score >= 85) return '#389e0d';
  if (score >= 60) return '#d48806';
  return '#cf1322';
}

const SEVERITY: Record<FlagSeverity, { color: string; label: string }> = {
  high: { color: 'red', label: '严重' },
  medium: { color: 'orange', label: '关注' },
  low: { color: 'blue', label: '提示' },
};

export const FLAG_NAMES: Record<string, string> = {
  no_activity_30d: '30天无活动',
  idle_stations: '站点闲置',
  low_satisfaction: '满意率低',
  orders_overdue: '工单超时',
  low_resolution: '办结率低',
  no_volunteers: '无志愿者',
  nothing_done: '本期无工作',
};

export function FlagTags({ flags }: { flags: EvaluationFlagDto[] }) {
  if (!flags.length) return <Tag color="success">无问题</Tag>;
  return (
    <Space size={[4, 4]} wrap>
      {flags.map((f) => (
        <Tooltip key={f.code} title={f.message}>
          <Tag color={SEVERITY[f.severity].color} style={{ marginInlineEnd: 0, cursor: 'help' }}>
            {FLAG_NAMES[f.code] ?? f.code}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

export function severityOf(s: FlagSeverity) {
  return SEVERITY[s];
}

const YEARS = (() => {
  const y = Number(currentPeriods().year);
  return Array.from({ length: 6 }, (_, i) => String(y - i));
})();

/** 月度（过程性）/ 年度（终结性）, a year and, for months, a month. Future months cannot be picked. */
export function PeriodPicker({ value, onChange }: { value: string; onChange: (p: string) => void }) {
  const { month: cur } = currentPeriods();
  const kind = value.length === 7 ? 'month' : 'year';
  const year = value.slice(0, 4);
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).filter((m) => m <= cur);
  return (
    <Space wrap>
      <Segmented
        value={kind}
        onChange={(k) => onChange(k === 'year' ? year : year === cur.slice(0, 4) ? cur : `${year}-12`)}
        options={[
          { value: 'month', label: '月度（过程性）' },
          { value: 'year', label: '年度（终结性）' },
        ]}
      />
      <Select
        aria-label="年份"
        value={year}
        style={{ width: 100 }}
        onChange={(y) => onChange(kind === 'year' ? y : y === cur.slice(0, 4) ? cur : `${y}-12`)}
        options={YEARS.map((y) => ({ value: y, label: `${y}年` }))}
      />
      {kind === 'month' && (
        <Select
          aria-label="月份"
          value={value}
          style={{ width: 90 }}
          onChange={onChange}
          options={months.map((m) => ({ value: m, label: `${Number(m.slice(5))}月` }))}
        />
      )}
    </Space>
  );
}
