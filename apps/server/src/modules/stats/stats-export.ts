import { createWorkbook } from '../../lib/xlsx.ts';
import type { StatsService } from './stats.service.ts';

type Report = Awaited<ReturnType<StatsService['report']>>;

const LEVELS: Record<string, string> = {
  city: '市',
  center: '县（市、区）中心',
  institute: '街道（乡镇）实践所',
  station: '村（社区）实践站',
  point: '实践点/基地',
};
const STATES: Record<string, string> = {
  submitted: '待派单',
  dispatched: '已派单',
  accepted: '已接单',
  in_service: '服务中',
  completed: '已完成',
  forwarded: '已转办',
  acknowledged: '部门办理中',
  extension_requested: '延期待批',
  resolved: '已答复',
  rated: '已评价',
  cancelled: '已取消',
  rejected: '未受理',
};
const pct = (n: number) => Math.round(n * 1000) / 10;

/** The statistics report as an .xlsx workbook: one sheet per table of the statistics page. */
export async function statsWorkbook(r: Report): Promise<Buffer> {
  const wb = await createWorkbook();
  const o = r.overview;
  const ov = wb.addSheet('概览', [
    { header: '指标', key: 'k', width: 30 },
    { header: '数值', key: 'v', width: 18 },
  ]);
  ov.addRows([
    { k: '统计范围', v: r.org?.name ?? '全部管辖范围' },
    { k: '期间', v: `${r.from ?? '最早'} 至 ${r.to ?? '今天'}` },
    ...Object.entries(LEVELS)
      .filter(([k]) => k !== 'city')
      .map(([k, name]) => ({ k: `阵地：${name}`, v: o.orgs[k as keyof typeof o.orgs] })),
    { k: '注册志愿者（在册）', v: o.volunteers },
    { k: '志愿队伍', v: o.teams },
    { k: '活动（累计）', v: o.activities },
    { k: '服务时长（小时，累计认证）', v: o.serviceHours },
    { k: '服务人次（累计）', v: o.peopleServed.total },
    { k: '阵地布局（中心+所+站+点）', v: `${o.layout}` },
    { k: '挂牌率（%）', v: pct(o.plaque.rate) },
    { k: '试点：国家级/省级/市级', v: `${o.pilots.national}/${o.pilots.provincial}/${o.pilots.city}` },
    { k: '工单总数', v: o.orders.total },
    ...Object.entries(o.orders.byState).map(([s, n]) => ({ k: `工单：${STATES[s] ?? s}`, v: n })),
    { k: '响应率（%，累计）', v: pct(o.orders.responseRate) },
    { k: '办结率（%，累计）', v: pct(o.orders.resolutionRate) },
    { k: '满意率（%，累计）', v: pct(o.orders.satisfactionRate) },
    { k: '平均接单用时（分钟）', v: o.orders.avgAcceptMinutes ?? '—' },
    { k: '场馆预约（次）', v: o.bookings.total },
    { k: '场馆利用率（%，近30天）', v: pct(o.bookings.utilization) },
    { k: '期间新增工单', v: r.period.orders },
    { k: '期间办结工单', v: r.period.solved },
    { k: '期间活动', v: r.period.activities },
    { k: '期间服务时长（小时）', v: r.period.serviceHours },
    { k: '期间服务人次', v: r.period.peopleServed },
    { k: '期间新增志愿者', v: r.period.newVolunteers },
    { k: '期间响应率（%）', v: pct(r.period.responseRate) },
    { k: '期间办结率（%）', v: pct(r.period.resolutionRate) },
    { k: '期间满意率（%）', v: pct(r.period.satisfactionRate) },
  ]);

  const tr = wb.addSheet('月度趋势', [
    { header: '月份', key: 'm' },
    { header: '新增工单', key: 'orders' },
    { header: '办结工单', key: 'solved' },
    { header: '活动', key: 'activities' },
    { header: '服务时长（小时）', key: 'hours', width: 18 },
    { header: '服务人次', key: 'served' },
    { header: '新增志愿者', key: 'vols' },
  ]);
  r.trend.months.forEach((m, i) =>
    tr.addRow({
      m,
      orders: r.trend.series.orders[i],
      solved: r.trend.series.solved[i],
      activities: r.trend.series.activities[i],
      hours: r.trend.series.serviceHours[i],
      served: r.trend.series.peopleServed[i],
      vols: r.trend.series.newVolunteers[i],
    }),
  );

  const cat = wb.addSheet('供需对接', [
    { header: '服务类别', key: 'name', width: 18 },
    { header: '需求：工单（期间）', key: 'orders', width: 20 },
    { header: '活动（期间）', key: 'activities' },
    { header: '供给：队伍', key: 'teams' },
    { header: '供给：志愿者（技能）', key: 'volunteers', width: 22 },
  ]);
  cat.addRows(r.categories);

  const d = wb.addSheet('下级阵地', [
    { header: '阵地', key: 'name', width: 36 },
    { header: '站点数', key: 'sites' },
    { header: '队伍', key: 'teams' },
    { header: '志愿者', key: 'volunteers' },
    { header: '活动', key: 'activities' },
    { header: '工单', key: 'orders' },
    { header: '服务时长（小时）', key: 'serviceHours', width: 18 },
    { header: '服务人次', key: 'peopleServed' },
    { header: '挂牌', key: 'plaqued' },
    { header: '响应率（%）', key: 'response' },
    { header: '办结率（%）', key: 'resolution' },
    { header: '满意率（%）', key: 'satisfaction' },
    { header: '平均接单（分钟）', key: 'accept', width: 18 },
  ]);
  for (const x of r.districts)
    d.addRow({
      ...x,
      response: pct(x.responseRate),
      resolution: pct(x.resolutionRate),
      satisfaction: pct(x.satisfactionRate),
      accept: x.avgAcceptMinutes ?? '—',
    });

  const tt = wb.addSheet('队伍排行', [
    { header: '名次', key: 'rank', width: 8 },
    { header: '队伍', key: 'name', width: 32 },
    { header: '所属阵地', key: 'orgName', width: 32 },
    { header: '队员', key: 'members' },
    { header: '认证时长（小时，期间）', key: 'hours', width: 24 },
  ]);
  r.top.teams.forEach((t, i) => tt.addRow({ rank: i + 1, ...t }));
  const tv = wb.addSheet('志愿者排行', [
    { header: '名次', key: 'rank', width: 8 },
    { header: '志愿者', key: 'name' },
    { header: '所属阵地', key: 'orgName', width: 32 },
    { header: '累计认证时长（小时）', key: 'hours', width: 22 },
  ]);
  r.top.volunteers.forEach((v, i) => tv.addRow({ rank: i + 1, ...v }));

  return wb.toBuffer();
}
