import { METRIC_INFO, ORG_LEVEL_NAMES, type EvaluationFlagDto, type IndicatorResultDto } from '@wenming/contracts';
import { createWorkbook } from '../../lib/xlsx.ts';
import type { ResultRow } from './evaluation.repository.ts';

const valueText = (i: IndicatorResultDto) => {
  if (i.status === 'insufficient') return `样本不足（${i.sample ?? 0}）`;
  if (i.value === null) return '暂无数据';
  return METRIC_INFO[i.metric].unit === 'ratio' ? `${Math.round(i.value * 1000) / 10}%` : `${i.value}`;
};

/**
 * The evaluation export: sheet 排名 (one row per site: total, rank among siblings, flags) and
 * sheet 指标明细 (one row per site and indicator: value, target, weight, score).
 */
export async function evaluationWorkbook(period: string, rows: ResultRow[]): Promise<Buffer> {
  const wb = await createWorkbook();
  const rank = wb.addSheet('排名', [
    { header: '评估期', key: 'period', width: 10 },
    { header: '阵地', key: 'org', width: 36 },
    { header: '层级', key: 'level', width: 10 },
    { header: '上级阵地', key: 'parent', width: 36 },
    { header: '综合得分', key: 'total', width: 10 },
    { header: '同级排名', key: 'rank', width: 10 },
    { header: '参评数', key: 'rankOf', width: 8 },
    { header: '诊断问题', key: 'flags', width: 80 },
  ]);
  const detail = wb.addSheet('指标明细', [
    { header: '阵地', key: 'org', width: 36 },
    { header: '指标编号', key: 'code', width: 10 },
    { header: '指标', key: 'name', width: 22 },
    { header: '计算公式', key: 'formula', width: 48 },
    { header: '实际值', key: 'value', width: 12 },
    { header: '目标值', key: 'target', width: 10 },
    { header: '权重', key: 'weight', width: 8 },
    { header: '得分', key: 'score', width: 8 },
  ]);
  for (const r of rows) {
    rank.addRow({
      period,
      org: r.orgName,
      level: ORG_LEVEL_NAMES[r.level].short,
      parent: r.parentName ?? '',
      total: r.total ?? '无数据',
      rank: r.rank ?? '—',
      rankOf: r.rankOf,
      flags: (r.flags as EvaluationFlagDto[]).map((f) => f.message).join('；'),
    });
    for (const i of r.indicators as IndicatorResultDto[])
      detail.addRow({
        org: r.orgName,
        code: i.code,
        name: i.name,
        formula: METRIC_INFO[i.metric].formula,
        value: valueText(i),
        target: METRIC_INFO[i.metric].unit === 'ratio' ? `${Math.round(i.target * 1000) / 10}%` : i.target,
        weight: i.weight,
        score: i.score ?? '—',
      });
  }
  return wb.toBuffer();
}
