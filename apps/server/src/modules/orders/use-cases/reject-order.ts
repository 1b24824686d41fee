import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function rejectOrder(deps: OrdersKit, ctx: RequestCtx, id: string, reason: string) {
  const { now, fire, notify } = deps;
  return fire(ctx, id, 'reject', {
    note: reason,
    patch: { rejectReason: reason, closedAt: now() },
    then: (tx, o) => notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 未受理`, reason),
  });
}
