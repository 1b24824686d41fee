import { ruleViolation } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/** 申请延期: the department asks the forwarding desk for a later 办理时限, with its reason. */
export async function requestExtension(deps: OrdersKit, ctx: RequestCtx, id: string, body: { until: string; reason: string }) {
  const { now, fire, notify, deskUsers } = deps;
  const until = new Date(body.until);
  return fire(ctx, id, 'request_extension', {
    note: body.reason,
    check: (o) => {
      if (until.getTime() <= now().getTime()) throw ruleViolation({ zh: '延期后的时限须晚于当前时间', en: 'The new limit must be in the future' });
      if (o.resolveDueAt && until.getTime() <= o.resolveDueAt.getTime())
        throw ruleViolation({ zh: '延期后的时限须晚于原办理时限', en: 'The new limit must be later than the current one' });
    },
    patch: { extensionUntil: until, extensionReason: body.reason },
    data: { until: until.toISOString() },
    then: async (tx, o) => {
      await notify(
        tx,
        o,
        await deskUsers(o.cityCode, o.handlingOrgPath, tx),
        'order.extension_requested',
        `工单 ${o.code} 申请延期，请审批`,
        body.reason.slice(0, 60),
      );
    },
  });
}
