import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZListQuery } from './common.ts';

/**
 * 成效评估 (evaluation). An indicator's formula is one metric from this closed set, each computed
 * from the platform's own data (docs/evaluation.md gives every definition).
 */
export const EVALUATION_METRICS = [
  'site_coverage',
  'volunteers_per_site',
  'activities_per_station_month',
  'service_hours_per_station_month',
  'response_rate',
  'resolution_rate',
  'satisfaction_rate',
  'booking_utilization',
  'contents_per_month',
] as const;
export type EvaluationMetric = (typeof EVALUATION_METRICS)[number];

export type MetricUnit = 'ratio' | 'people' | 'activities' | 'hours' | 'items';

export const METRIC_INFO: Record<EvaluationMetric, { name: string; unit: MetricUnit; unitLabel: string; formula: string }> = {
  site_coverage: { name: '阵地活跃覆盖率', unit: 'ratio', unitLabel: '%', formula: '本期开展过活动的实践站/点 ÷ 辖区实践站/点总数' },
  volunteers_per_site: { name: '站均注册志愿者', unit: 'people', unitLabel: '人/站', formula: '期末在册志愿者 ÷ 辖区实践站/点数（暂无人口数据，按站点计）' },
  activities_per_station_month: { name: '站均月均活动', unit: 'activities', unitLabel: '场/站·月', formula: '本期开展的活动场次 ÷ 辖区实践站/点数 ÷ 月数' },
  service_hours_per_station_month: {
    name: '站均月均服务时长',
    unit: 'hours',
    unitLabel: '小时/站·月',
    formula: '本期已审核的志愿服务时长 ÷ 辖区实践站/点数 ÷ 月数',
  },
  response_rate: { name: '按时响应率', unit: 'ratio', unitLabel: '%', formula: '按时接单或转办的工单 ÷ 已到期的工单（本期提交）' },
  resolution_rate: { name: '办结率', unit: 'ratio', unitLabel: '%', formula: '已完成或已办结的工单 ÷ 已关闭或已到期的工单（本期提交，不含撤销）' },
  satisfaction_rate: { name: '群众满意率', unit: 'ratio', unitLabel: '%', formula: '4 星及以上评价 ÷ 全部评价（本期评价）' },
  booking_utilization: { name: '场馆预约利用率', unit: 'ratio', unitLabel: '%', formula: '已批准的预约时长 ÷ 可预约场馆的开放时长（本期）' },
  contents_per_month: { name: '月均发布资讯', unit: 'items', unitLabel: '条/月', formula: '本期辖区发布的资讯、政策解读、云讲堂、掌上悦读条数 ÷ 月数' },
};

/** Levels that are evaluated (the city itself is not: it has no siblings to rank among). */
export const EVALUATED_LEVELS = ['center', 'institute', 'station', 'point'] as const;
export type EvaluatedLevel = (typeof EVALUATED_LEVELS)[number];
export const ZEvaluatedLevel = z.enum(EVALUATED_LEVELS, {
  message: msg('层级须为 center、institute、station 或 point', 'The level must be center, institute, station or point'),
});

/** `2026-10` (a month: process evaluation) or `2026` (a year: summative evaluation). */
export const PERIOD_RE = /^\d{4}(-(0[1-9]|1[0-2]))?$/;
export const ZPeriod = z
  .string()
  .trim()
  .regex(PERIOD_RE, { message: msg('评估期格式为 YYYY-MM（月度）或 YYYY（年度）', 'A period is YYYY-MM (month) or YYYY (year)') });

const ZCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,20}$/, {
    message: msg('指标编号为1至20位字母、数字、点、横线或下划线', 'A code has 1 to 20 letters, digits, dots, dashes or underscores'),
  });

export const ZIndicatorInput = z.object({
  code: ZCode,
  name: z
    .string()
    .trim()
    .min(1, { message: msg('请填写指标名称', 'Give a name') })
    .max(50, { message: msg('指标名称最多50个字', 'At most 50 characters') }),
  metric: z.enum(EVALUATION_METRICS, { message: msg('计算公式须从平台提供的指标中选择', 'The formula must be one of the platform metrics') }),
  target: z
    .number({ message: msg('目标值须为数字', 'The target is a number') })
    // The column keeps four decimals (numeric(12, 4)): a smaller target would round to 0 and fail its CHECK.
    .min(0.0001, { message: msg('目标值至少为 0.0001', 'The target must be at least 0.0001') })
    .max(1_000_000, { message: msg('目标值过大', 'The target is too large') }),
  weight: z
    .number({ message: msg('权重须为整数', 'The weight is a whole number') })
    .int({ message: msg('权重须为整数', 'The weight is a whole number') })
    .min(1, { message: msg('权重须在1到100之间', 'The weight is between 1 and 100') })
    .max(100, { message: msg('权重须在1到100之间', 'The weight is between 1 and 100') }),
  levels: z
    .array(ZEvaluatedLevel)
    .min(1, { message: msg('请至少选择一个适用层级', 'Pick at least one level') })
    .max(4),
  description: z
    .string()
    .trim()
    .max(500, { message: msg('说明最多500个字', 'At most 500 characters') })
    .optional(),
});
export type TIndicatorInput = z.infer<typeof ZIndicatorInput>;

export const ZCreateIndicatorBody = ZIndicatorInput.extend({ orgId: ZId });
export const ZUpdateIndicatorBody = ZIndicatorInput.partial().extend({ description: z.string().trim().max(500).nullable().optional() });
export const ZIndicatorSystemBody = z.object({
  orgId: ZId,
  indicators: z.array(ZIndicatorInput).max(40, { message: msg('一个指标体系最多40项指标', 'At most 40 indicators') }),
});
export const ZIndicatorsQuery = z.object({ orgId: ZId.optional() });

export const ZComputeBody = z.object({
  period: ZPeriod,
  /** Computes the city of this site (default: every city in the caller's scope). */
  orgId: ZId.optional(),
  /** Recompute a closed period that already has results (admins only; audited). */
  force: z.boolean().optional(),
});

export const ZEvaluationsQuery = ZListQuery.extend({
  period: ZPeriod,
  orgId: ZId.optional(),
  level: ZEvaluatedLevel.optional(),
  /** Only sites with diagnostic flags (诊断性评估 list). */
  flagged: z.enum(['true', 'false']).optional(),
});
export const ZScorecardQuery = z.object({ period: ZPeriod });
export const ZEvaluationExportQuery = z.object({ period: ZPeriod, orgId: ZId.optional(), level: ZEvaluatedLevel.optional() });

export type FlagSeverity = 'high' | 'medium' | 'low';

export interface IndicatorDto {
  id: string | null;
  code: string;
  name: string;
  metric: EvaluationMetric;
  target: number;
  weight: number;
  levels: EvaluatedLevel[];
  description: string | null;
  ownerOrgId: string | null;
  ownerOrgName: string;
}

export interface IndicatorSystemDto {
  orgId: string | null;
  orgName: string | null;
  /** Per level: where its indicators come from. */
  levels: { level: EvaluatedLevel; source: 'own' | 'inherited' | 'default'; ownerOrgId: string | null; ownerOrgName: string; weightSum: number }[];
  /** The org's own indicators (empty when it inherits everything). */
  own: IndicatorDto[];
  /** What applies to the sites below the org, level by level. */
  effective: IndicatorDto[];
  allowedActions: string[];
}

export interface IndicatorResultDto {
  code: string;
  name: string;
  metric: EvaluationMetric;
  target: number;
  weight: number;
  value: number | null;
  score: number | null;
  /**
   * ok; insufficient: 样本不足 (a rate over fewer cases than the minimum, its value withheld);
   * missing: 暂无数据. Absent on results computed before issue 18.
   */
  status?: 'ok' | 'insufficient' | 'missing';
  /** The cases a rate is measured over (orders due, orders closed or due, ratings); null for other metrics. */
  sample?: number | null;
}

export interface EvaluationFlagDto {
  code: string;
  severity: FlagSeverity;
  message: string;
}

export interface EvaluationSuggestionDto {
  indicatorCode: string;
  metric: EvaluationMetric;
  lostPoints: number;
  message: string;
}

export interface EvaluationRowDto {
  orgId: string;
  orgName: string;
  level: EvaluatedLevel;
  parentId: string | null;
  parentName: string | null;
  period: string;
  total: number | null;
  rank: number | null;
  rankOf: number;
  flags: EvaluationFlagDto[];
}

export interface EvaluationRunDto {
  cityCode: string;
  period: string;
  kind: 'month' | 'year';
  closed: boolean;
  computedAt: string;
  sites: number;
  forcedCount: number;
}

export interface ScorecardDto extends EvaluationRowDto {
  kind: 'month' | 'year';
  closed: boolean;
  computedAt: string;
  indicators: IndicatorResultDto[];
  suggestions: EvaluationSuggestionDto[];
  figures: Record<string, number | string | null>;
  history: { period: string; total: number | null; rank: number | null; rankOf: number }[];
}
