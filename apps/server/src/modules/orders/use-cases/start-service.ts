import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function startService(deps: OrdersKit, ctx: RequestCtx, id: string) {
  const { now, fire, notify } = deps;
  return fire(ctx, id, 'start', {
    patch: { startedAt: now() },
    then: (tx, o) => notify(tx, o, [o.requesterId], 'order.progress', `志愿者已开始为您服务（${o.code}）`),
  });
}
