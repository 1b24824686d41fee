import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function cancelOrder(deps: OrdersKit, ctx: RequestCtx, id: string) {
  const { now, fire, notify } = deps;
  return fire(ctx, id, 'cancel', {
    patch: { closedAt: now() },
    then: async (tx, o) => {
      const team = o.assigneeTeamId ? await deps.teams.byId(o.assigneeTeamId, tx) : null;
      const vol = o.assigneeVolunteerId ? await deps.volunteers.byId(o.assigneeVolunteerId, tx) : null;
      await notify(tx, o, [team?.leaderUserId, vol?.userId], 'order.cancelled', `工单 ${o.code} 已被群众取消`);
    },
  });
}
