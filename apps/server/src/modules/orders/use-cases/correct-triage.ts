import { msg } from '@wenming/contracts';
import { acceptDueAt, type Urgency } from '@wenming/domain';
import { AppError, forbidden, invalidState } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/** The dispatcher corrects the triage; the correction becomes a labelled example. */
export async function correctTriage(deps: OrdersKit, ctx: RequestCtx, id: string, body: { category?: string; nature?: string; urgency?: string }) {
  const { db, orders, now, present, load, slaMinutes } = deps;
  const { actor, o, roles } = await load(ctx, id);
  if (!roles.has('staff')) throw forbidden({ zh: '仅限工作人员', en: 'Staff only' });
  if (o.state !== 'submitted') throw invalidState({ zh: '只有待派单的工单可以修改研判结果', en: 'Only submitted orders can be re-triaged' });
  if (body.category && !(await deps.catalogues.categories()).some((c) => c.code === body.category))
    throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'category', message: msg('无效的服务类别', 'Invalid category code') }]);
  const next = { category: body.category ?? o.category, nature: (body.nature ?? o.nature) as 'service', urgency: (body.urgency ?? o.urgency) as Urgency };
  await db.transaction(async (tx) => {
    const sla = await slaMinutes(o.cityCode, o.orgPath, tx);
    const patch = { ...next, acceptDueAt: next.urgency !== o.urgency ? acceptDueAt(o.createdAt, next.urgency, sla) : o.acceptDueAt };
    const updated = await orders.transition(tx, o.cityCode, o.id, 'submitted', 'submitted', patch);
    if (!updated) throw invalidState();
    await orders.addEvent(tx, {
      cityCode: o.cityCode,
      id: newId(),
      orderId: o.id,
      actorId: actor.userId,
      action: 'retriage',
      fromState: 'submitted',
      toState: 'submitted',
      note: null,
      data: { from: { category: o.category, nature: o.nature, urgency: o.urgency }, to: next },
      at: now(),
    });
    await orders.saveTriageExample(tx, {
      cityCode: o.cityCode,
      id: newId(),
      orderId: o.id,
      text: [o.title, o.content].filter(Boolean).join('。'),
      ...next,
      createdBy: actor.userId,
    });
  });
  return present(actor, (await orders.byId(id))!);
}
