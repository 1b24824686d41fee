import type { TAssistedOrderBody } from '@wenming/contracts';
import { notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { assertInScope, READ_ROLES, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { OrdersKit } from '../orders-kit.ts';
import { submitOrder } from './submit-order.ts';

/** An account made by 代点单 has no password: the resident signs in by SMS code when they wish. */
export const ASSISTED_NO_PASSWORD = '!assisted-no-password';

/**
 * 代点单: a station's staff enter an order for a resident who phoned, walked in, told their 网格员
 * or called 12345. The resident is found by phone, or signed up with the name given — one insert
 * that yields to the unique phone key, so two desks entering the same new resident at once make one
 * account. The order is the resident's (their notices, their rating); the channel and the staff
 * member who entered it are recorded on it, its first timeline row and the audit log.
 */
export async function submitAssistedOrder(deps: OrdersKit, ctx: RequestCtx, body: TAssistedOrderBody) {
  const actor = requireActor(ctx);
  const org = await deps.orders.siteForOrder(body.orgId);
  if (!org) throw notFound({ zh: '所选社区（阵地）不存在', en: 'No such site' });
  assertInScope(actor, READ_ROLES, { cityCode: org.cityCode, path: org.path });
  const { residentName, residentPhone, channel, ...order } = body;
  const made = await deps.users.insert({ id: newId(), phone: residentPhone, name: residentName, passwordHash: ASSISTED_NO_PASSWORD });
  const resident = made ?? (await deps.users.byPhone(residentPhone));
  if (!resident) throw notFound({ zh: '群众账号不存在', en: 'No such resident' });
  const answer = await submitOrder(deps, ctx, order, { requester: { id: resident.id, name: resident.name, phone: resident.phone }, channel });
  if (!ctx.replayed) {
    await deps.notify(
      deps.db,
      { cityCode: org.cityCode, id: answer.id, code: answer.code },
      [resident.id],
      'order.entered',
      `工作人员已为您登记诉求（${answer.code}）`,
      '办理进展会通知您，办结后请为服务评价',
    );
    await deps.audit?.record(ctx, {
      cityCode: org.cityCode,
      action: 'order.assisted_submit',
      entityType: 'order',
      entityId: answer.id,
      after: { code: answer.code, channel, residentId: resident.id, residentCreated: !!made },
    });
  }
  return answer;
}
