import { forbidden } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function getOrder(deps: OrdersKit, ctx: RequestCtx, id: string) {
  const { present, load } = deps;
  const { actor, o, roles } = await load(ctx, id);
  if (roles.size === 0) throw forbidden({ zh: '无权查看该工单', en: 'You may not see this order' });
  // The department sees the complainant's whole phone to call back; every such view is audited (PIPL).
  if (roles.has('department') && !roles.has('requester') && deps.audit)
    await deps.audit.record(ctx, { cityCode: o.cityCode, action: 'order.phone_view', entityType: 'order', entityId: o.id, orgPath: o.orgPath });
  return present(actor, o);
}
