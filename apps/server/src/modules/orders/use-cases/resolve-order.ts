import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function resolveOrder(deps: OrdersKit, ctx: RequestCtx, id: string, reply: string) {
  const { now, fire, notify } = deps;
  return fire(ctx, id, 'resolve', {
    note: reply,
    patch: { reply, resolvedAt: now() },
    then: (tx, o) => notify(tx, o, [o.requesterId], 'order.completed', `职能部门已答复您的工单 ${o.code}，请评价`, reply.slice(0, 60)),
  });
}
