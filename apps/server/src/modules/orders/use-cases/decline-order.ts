import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function declineOrder(deps: OrdersKit, ctx: RequestCtx, id: string, reason: string) {
  const { fire, notify, deskUsers } = deps;
  return fire(ctx, id, 'decline', {
    note: reason,
    patch: { assigneeTeamId: null, assigneeVolunteerId: null },
    then: async (tx, o) => notify(tx, o, await deskUsers(o.cityCode, o.handlingOrgPath, tx), 'order.declined', `工单 ${o.code} 被婉拒，请重新派单`, reason),
  });
}
