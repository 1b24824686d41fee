import { notFound } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function forwardOrder(deps: OrdersKit, ctx: RequestCtx, id: string, body: { departmentId: string; note?: string }) {
  const { now, fire, notify } = deps;
  let officers: string[] = [];
  return fire(ctx, id, 'forward', {
    note: body.note ?? null,
    check: async (o) => {
      const d = await deps.departments.byId(body.departmentId);
      if (!d || d.cityCode !== o.cityCode) throw notFound({ zh: '职能部门不存在', en: 'No such department' });
      officers = await deps.users.officersOf(o.cityCode, d.id);
    },
    patch: { departmentId: body.departmentId, forwardedAt: now() },
    then: async (tx, o) => {
      await notify(tx, o, officers, 'order.forwarded', `转办工单 ${o.code}`, o.content.slice(0, 60));
      await notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 已转交职能部门办理`);
    },
  });
}
