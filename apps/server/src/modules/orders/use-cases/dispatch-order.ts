import { notFound, ruleViolation } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function dispatchOrder(deps: OrdersKit, ctx: RequestCtx, id: string, body: { teamId?: string; volunteerId?: string; note?: string }) {
  const { now, fire, notify } = deps;
  let notifyUsers: string[] = [];
  return fire(ctx, id, 'dispatch', {
    note: body.note ?? null,
    check: async (o) => {
      if (body.teamId) {
        const t = await deps.teams.byId(body.teamId);
        if (!t || t.cityCode !== o.cityCode || t.status !== 'active') throw notFound({ zh: '队伍不存在', en: 'No such team' });
        if (!t.leaderUserId) throw ruleViolation({ zh: '该队伍尚未设置队长，无法接单', en: 'The team has no leader to accept orders' });
        notifyUsers = [t.leaderUserId];
      } else {
        const v = await deps.volunteers.byId(body.volunteerId!);
        if (!v || v.cityCode !== o.cityCode) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
        if (v.status !== 'active') throw ruleViolation({ zh: '该志愿者已暂停服务', en: 'The volunteer is suspended' });
        notifyUsers = [v.userId];
      }
    },
    patch: { assigneeTeamId: body.teamId ?? null, assigneeVolunteerId: body.volunteerId ?? null, dispatchedAt: now() },
    data: { teamId: body.teamId, volunteerId: body.volunteerId },
    then: async (tx, o) => {
      await notify(tx, o, notifyUsers, 'order.dispatched', `新派单 ${o.code}，请及时接单`, o.content.slice(0, 60));
      await notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 已派单`);
    },
  });
}
