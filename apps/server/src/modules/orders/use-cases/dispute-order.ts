import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/**
 * 派单异议 (退回): the department returns a misrouted order with its reason. The order goes back
 * to the forwarding desk (submitted, with a short accept window to re-route it); the dispute is
 * counted on the order and, through the timeline row's departmentId, against the department.
 */
export async function disputeOrder(deps: OrdersKit, ctx: RequestCtx, id: string, reason: string) {
  const { now, fire, notify, deskUsers, slaMinutes } = deps;
  const t = now();
  let departmentId: string | null = null;
  let limits: Awaited<ReturnType<typeof slaMinutes>> = {};
  return fire(ctx, id, 'dispute', {
    note: reason,
    check: async (o) => {
      departmentId = o.departmentId;
      limits = await slaMinutes(o.cityCode, o.handlingOrgPath);
    },
    patch: (o) => ({
      departmentId: null,
      coDepartmentIds: [],
      disputeCount: o.disputeCount + 1,
      ackDueAt: null,
      acknowledgedAt: null,
      resolveDueAt: null,
      stageStartedAt: null,
      stageDueAt: null,
      stageRemindedAt: null,
      stageEscalatedAt: null,
      extensionUntil: null,
      extensionReason: null,
      remindedAt: null,
      // The desk re-routes it within its acceptance limit for an urgent order.
      acceptDueAt: new Date(t.getTime() + (limits.urgent ?? 120) * 60_000),
    }),
    data: () => ({ departmentId }),
    then: async (tx, o) => {
      await notify(
        tx,
        o,
        await deskUsers(o.cityCode, o.handlingOrgPath, tx),
        'order.disputed',
        `工单 ${o.code} 被职能部门退回（派单异议），请重新派单`,
        reason.slice(0, 60),
      );
    },
  });
}
