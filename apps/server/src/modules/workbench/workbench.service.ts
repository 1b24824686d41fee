import type { WorkbenchDto, WorkbenchFigureDto, WorkbenchTodoDto } from '@wenming/contracts';
import { forbidden } from '../../lib/errors.ts';
import { READ_ROLES, requireActor, scopeOf, type RequestCtx } from '../../lib/policy.ts';
import { toIso } from '../../lib/time.ts';
import type { WorkbenchRepository, WorkbenchTimes } from './workbench.repository.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The instant the China day holding `t` began. */
export function chinaDayStart(t: Date): Date {
  const china = t.getTime() + 8 * HOUR;
  return new Date(china - (china % DAY) - 8 * HOUR);
}

export function workbenchTimes(now: Date): WorkbenchTimes {
  const todayStart = chinaDayStart(now);
  return {
    now,
    soon: new Date(now.getTime() + 2 * HOUR),
    todayStart,
    yesterdayStart: new Date(todayStart.getTime() - DAY),
    weekAhead: new Date(now.getTime() + 7 * DAY),
    monthAgo: new Date(now.getTime() - 30 * DAY),
  };
}

const ROLE_NAMES = { org_admin: '阵地管理员', dispatcher: '调度员', dept_officer: '职能部门专员' } as const;

/**
 * 工作台: what the caller has to do now, by role — a desk (调度员, 阵地管理员) sees its orders,
 * hours, bookings and pickups; a department officer the orders forwarded to their department; a
 * team leader their team's hours to decide. Residents and volunteers have no 工作台 (403).
 */
export function createWorkbenchService(deps: { workbench: WorkbenchRepository; clock?: () => Date }) {
  const { workbench: repo } = deps;
  const clock = deps.clock ?? (() => new Date());
  return {
    async get(ctx: RequestCtx): Promise<WorkbenchDto> {
      const actor = requireActor(ctx);
      const scope = scopeOf(actor, READ_ROLES);
      const desk = scope.all || scope.subtrees.length > 0;
      const departments = actor.grants.filter((g) => g.role === 'dept_officer' && g.departmentId).map((g) => ({ cityCode: g.cityCode, id: g.departmentId! }));
      const led = await repo.ledTeams(actor.userId);
      const leader = led.length > 0;
      if (!desk && !departments.length && !leader) throw forbidden({ zh: '工作台供工作人员、职能部门专员和队长使用', en: 'The workbench is for staff' });
      const t = workbenchTimes(clock());
      const todos: WorkbenchTodoDto[] = [];
      const todo = (key: WorkbenchTodoDto['key'], label: string, count: number, hint: string, urgent = false) =>
        todos.push({ key, label, count, hint, urgent: urgent && count > 0 });
      if (desk) {
        todo('orders_overdue', '超时工单', await repo.ordersOverdue(scope, t), '已过接单时限仍无人接单', true);
        todo('orders_to_dispatch', '待派单', await repo.ordersToDispatch(scope), '居民已提交、等待派单或转办', true);
        todo('orders_due_soon', '即将超时', await repo.ordersDueSoon(scope, t), '两小时内到接单时限');
        todo('dept_overdue', '转办超期', await repo.deptOverdue(scope, t), '职能部门签收或办理超过时限，需督办', true);
        todo('orders_low_rated', '待回访', await repo.ordersLowRated(scope, t), '近30天评价为1–2星的工单');
        todo('records_pending', '待审核时长', await repo.recordsPending(scope), '志愿者提交的服务时长');
        todo('bookings_pending', '待审批预约', await repo.bookingsPending(scope), '场馆、设备的预约申请');
        todo('redemptions_pending', '待核销', await repo.redemptionsPending(scope), '爱心超市兑换待领取');
      } else if (leader) {
        todo('records_pending', '待审核时长', await repo.recordsPendingOfLedTeams(actor.userId), '本队队员的服务时长');
      }
      if (departments.length) {
        todo('dept_to_sign', '待签收', await repo.deptOrders(departments, ['forwarded']), '转办到本部门、尚未签收', true);
        todo('dept_in_progress', '办理中', await repo.deptOrders(departments, ['acknowledged', 'extension_requested']), '已签收、待答复办结');
        todo(
          'dept_stage_overdue',
          '已超期',
          await repo.deptOrders(departments, ['forwarded', 'acknowledged', 'extension_requested'], t),
          '超过签收或办理时限',
          true,
        );
      }
      let figures: WorkbenchFigureDto[] = [];
      let upcoming: WorkbenchDto['upcoming'] = [];
      if (desk) {
        const f = await repo.figures(scope, t);
        figures = [
          { key: 'orders_new', label: '新增工单', unit: '件', ...f.newOrders },
          { key: 'orders_closed', label: '办结工单', unit: '件', ...f.closed },
          {
            key: 'service_hours',
            label: '认定服务时长',
            unit: '小时',
            today: Math.round(f.hours.today * 10) / 10,
            yesterday: Math.round(f.hours.yesterday * 10) / 10,
          },
          { key: 'activity_signups', label: '活动报名', unit: '人次', ...f.signups },
        ];
        upcoming = (await repo.upcoming(scope, t)).map((a) => ({
          id: a.id,
          title: a.title,
          orgName: a.org_name,
          startsAt: toIso(new Date(a.starts_at)),
          signups: Number(a.signups),
        }));
      }
      const roles = [
        ...(actor.isAdmin ? ['超级管理员'] : []),
        ...new Set(actor.grants.map((g) => ROLE_NAMES[g.role]).filter(Boolean)),
        ...(leader ? ['志愿服务队队长'] : []),
      ];
      const scopeNames = actor.isAdmin
        ? ['全平台']
        : [...new Set([...actor.grants.map((g) => (g.role === 'dept_officer' ? (g.departmentName ?? g.orgName) : g.orgName)), ...led])];
      return { roles, scope: scopeNames, todos, figures, upcoming, generatedAt: toIso(t.now) };
    },
  };
}

export type WorkbenchService = ReturnType<typeof createWorkbenchService>;
