import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function resolveOrder(deps: OrdersKit, ctx: RequestCtx, id: string, reply: string) {
  const { now, fire, notify, deskUsers } = deps;
  return fire(ctx, id, 'resolve', {
    note: reply,
    patch: { reply, resolvedAt: now(), stageDueAt: null, extensionUntil: null },
    then: async (tx, o) => {
      await notify(tx, o, [o.requesterId], 'order.completed', `职能部门已答复您的工单 ${o.code}，请评价`, reply.slice(0, 60));
      // 首接负责: the forwarding desk hears that its order is answered.
      await notify(tx, o, await deskUsers(o.cityCode, o.handlingOrgPath, tx), 'order.resolved', `转办工单 ${o.code} 已答复办结`, reply.slice(0, 60));
    },
  });
}
