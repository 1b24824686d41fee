import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/** 签收: the department takes the forwarded order; the running deadline becomes the 办理时限. */
export async function acknowledgeOrder(deps: OrdersKit, ctx: RequestCtx, id: string, body: { note?: string }) {
  const { now, fire, notify } = deps;
  const t = now();
  return fire(ctx, id, 'acknowledge', {
    note: body.note ?? null,
    patch: (o) => ({ acknowledgedAt: t, stageStartedAt: t, stageDueAt: o.resolveDueAt, stageRemindedAt: null, stageEscalatedAt: null }),
    then: (tx, o) => notify(tx, o, [o.requesterId], 'order.progress', `职能部门已签收您的工单 ${o.code}，正在办理`),
  });
}
