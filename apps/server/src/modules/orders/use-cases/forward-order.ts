import { DEFAULT_ACK_MINUTES, DEFAULT_RESOLVE_MINUTES, minutesAfter } from '@wenming/domain';
import { notFound, ruleViolation } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/**
 * 转办 (首接负责: the desk that forwards stays responsible and is told of every step): the order
 * goes to the department with a 签收 deadline and a 办理时限 — the department's own limits, else the
 * defaults by urgency; the desk may set the 办理时限 itself (`resolveDueAt`).
 */
export async function forwardOrder(
  deps: OrdersKit,
  ctx: RequestCtx,
  id: string,
  body: { departmentId: string; note?: string; resolveDueAt?: string; coDepartmentIds?: string[] },
) {
  const { now, fire, notify } = deps;
  const t = now();
  let officers: string[] = [];
  let coOfficers: string[] = [];
  let ackDueAt = t;
  let resolveDueAt = t;
  let deptName = '';
  const coIds = [...new Set(body.coDepartmentIds ?? [])].filter((c) => c !== body.departmentId);
  return fire(ctx, id, 'forward', {
    note: body.note ?? null,
    check: async (o) => {
      const d = await deps.departments.byId(body.departmentId);
      if (!d || d.cityCode !== o.cityCode) throw notFound({ zh: '职能部门不存在', en: 'No such department' });
      deptName = d.name;
      for (const c of coIds) {
        const co = await deps.departments.byId(c);
        if (!co || co.cityCode !== o.cityCode) throw notFound({ zh: '协办部门不存在', en: 'No such co-unit' });
        coOfficers.push(...(await deps.users.officersOf(o.cityCode, co.id)));
      }
      officers = await deps.users.officersOf(o.cityCode, d.id);
      ackDueAt = minutesAfter(t, d.ackMinutes ?? DEFAULT_ACK_MINUTES[o.urgency]);
      resolveDueAt = body.resolveDueAt ? new Date(body.resolveDueAt) : minutesAfter(t, d.resolveMinutes ?? DEFAULT_RESOLVE_MINUTES[o.urgency]);
      if (resolveDueAt.getTime() <= t.getTime()) throw ruleViolation({ zh: '办理时限须晚于当前时间', en: 'The time limit must be in the future' });
      if (resolveDueAt < ackDueAt) ackDueAt = resolveDueAt;
      coOfficers = coOfficers.filter((u) => !officers.includes(u));
    },
    patch: () => ({
      departmentId: body.departmentId,
      forwardedAt: t,
      ackDueAt,
      acknowledgedAt: null,
      resolveDueAt,
      coDepartmentIds: coIds,
      stageStartedAt: t,
      stageDueAt: ackDueAt,
      stageRemindedAt: null,
      stageEscalatedAt: null,
      extensionUntil: null,
      extensionReason: null,
    }),
    data: () => ({
      departmentId: body.departmentId,
      departmentName: deptName,
      ackDueAt: ackDueAt.toISOString(),
      resolveDueAt: resolveDueAt.toISOString(),
      coDepartmentIds: coIds,
    }),
    then: async (tx, o) => {
      await notify(tx, o, officers, 'order.forwarded', `转办工单 ${o.code}，请及时签收`, o.content.slice(0, 60));
      if (coOfficers.length) await notify(tx, o, coOfficers, 'order.co_unit', `工单 ${o.code} 请协办`, o.content.slice(0, 60));
      await notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 已转交职能部门办理`);
    },
  });
}
