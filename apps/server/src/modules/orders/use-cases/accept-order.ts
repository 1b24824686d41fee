import { DEFAULT_SERVICE_MINUTES, minutesAfter } from '@wenming/domain';
import { ruleViolation } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function acceptOrder(deps: OrdersKit, ctx: RequestCtx, id: string, body: { volunteerIds?: string[] }) {
  const { orders, now, fire, notify } = deps;
  let servers: string[] = [];
  return fire(ctx, id, 'accept', {
    check: async (o) => {
      if (o.assigneeVolunteerId) {
        servers = [o.assigneeVolunteerId];
        if (body.volunteerIds?.length) throw ruleViolation({ zh: '个人接单不能指定其他队员', en: 'A volunteer accepting alone names no members' });
        return;
      }
      const ids = [...new Set(body.volunteerIds ?? [])];
      for (const v of ids)
        if (!(await deps.teams.isMember(o.cityCode, o.assigneeTeamId!, v)))
          throw ruleViolation({ zh: '所选志愿者不是本队队员', en: 'A named volunteer is not a member of the team' });
      servers = ids;
    },
    patch: (o) => {
      // The service has its own deadline after acceptance (完成时限), reminded and supervised like a department's.
      const t = now();
      return {
        acceptedAt: t,
        stageStartedAt: t,
        stageDueAt: minutesAfter(t, DEFAULT_SERVICE_MINUTES[o.urgency]),
        stageRemindedAt: null,
        stageEscalatedAt: null,
      };
    },
    data: { volunteerIds: body.volunteerIds },
    then: async (tx, o) => {
      await orders.addServers(tx, o.cityCode, o.id, servers);
      await notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 已有志愿者接单`);
    },
  });
}
