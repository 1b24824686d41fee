import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/**
 * The desk grants or refuses a department's extension request. Granted: the 办理时限 and the
 * running deadline move to the requested instant, with a new reminder and escalation; refused:
 * the old limit stands. Of a concurrent grant and refusal exactly one wins (conditional update).
 */
export async function decideExtension(deps: OrdersKit, ctx: RequestCtx, id: string, grant: boolean, body: { note?: string }) {
  const { now, fire, notify, users } = deps;
  const t = now();
  return fire(ctx, id, grant ? 'grant_extension' : 'refuse_extension', {
    note: body.note ?? null,
    patch: (o) =>
      grant
        ? { resolveDueAt: o.extensionUntil, stageStartedAt: t, stageDueAt: o.extensionUntil, stageRemindedAt: null, stageEscalatedAt: null }
        : { extensionUntil: null },
    data: (o: { extensionUntil: Date | null }) => ({ until: o.extensionUntil?.toISOString() ?? null }),
    then: async (tx, o) => {
      const officers = o.departmentId ? await users.officersOf(o.cityCode, o.departmentId, tx) : [];
      await notify(
        tx,
        o,
        officers,
        'order.extension_decided',
        grant ? `工单 ${o.code} 延期申请已同意` : `工单 ${o.code} 延期申请未获同意，请按原时限办结`,
        body.note?.slice(0, 60) ?? null,
      );
    },
  });
}
