import { Tag } from 'antd';
import type { PairingPlanDto, PairingTaskDto, TPairingRules } from '@wenming/contracts';
import { FESTIVAL_NAMES, PAIRING_PLAN_STATE_NAMES, PAIRING_TASK_STATE_NAMES, WEEKDAY_NAMES } from '@wenming/domain';

/** 每周三 09:30 探访；每月 15 日 14:30 相聚；春节、重阳节 10:00 节日探访 */
export function describeRules(r: TPairingRules): string[] {
  const out: string[] = [];
  if (r.weekly.length) out.push(`每${r.weekly.map((w) => `${WEEKDAY_NAMES[w.weekday]} ${w.time}`).join('、')} 上门探访`);
  if (r.monthly.length)
    out.push(`每月 ${r.monthly.map((m) => `${m.day} 日 ${m.time}`).join('、')} 集中相聚${r.monthly.some((m) => m.day > 28) ? '（小月顺延至月末）' : ''}`);
  if (r.holidays.length) out.push(`${r.holidays.map((h) => FESTIVAL_NAMES[h.festival]).join('、')} 节日探访`);
  return out;
}

const PLAN_COLOR: Record<PairingPlanDto['state'], string> = { active: 'green', paused: 'orange', ended: 'default' };
export function PlanStateTag({ state }: { state: PairingPlanDto['state'] }) {
  return <Tag color={PLAN_COLOR[state]}>{PAIRING_PLAN_STATE_NAMES[state]}</Tag>;
}

const TASK_COLOR: Record<PairingTaskDto['state'], string> = { open: 'blue', done: 'green', missed: 'orange', cancelled: 'default' };
export function TaskStateTag({ task }: { task: Pick<PairingTaskDto, 'state' | 'overdue'> }) {
  if (task.overdue) return <Tag color="red">已逾期</Tag>;
  return <Tag color={TASK_COLOR[task.state]}>{PAIRING_TASK_STATE_NAMES[task.state]}</Tag>;
}

const KIND_COLOR: Record<PairingTaskDto['kind'], string> = { weekly: 'geekblue', monthly: 'purple', holiday: 'volcano' };
const KIND_NAME: Record<PairingTaskDto['kind'], string> = { weekly: '每周探访', monthly: '每月相聚', holiday: '节日探访' };
export function TaskKindTag({ kind }: { kind: PairingTaskDto['kind'] }) {
  return <Tag color={KIND_COLOR[kind]}>{KIND_NAME[kind]}</Tag>;
}

const WEEK = ['日', '一', '二', '三', '四', '五', '六'];
/** 11月25日 周三 09:30 (China time). */
export function formatDue(iso: string): string {
  const d = new Date(iso);
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  const wd = new Date(`${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)}T12:00:00+08:00`).getUTCDay();
  return `${p.month}月${p.day}日 周${WEEK[wd]} ${p.hour}:${p.minute}`;
}

/** Today in China, YYYY-MM-DD. */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}
