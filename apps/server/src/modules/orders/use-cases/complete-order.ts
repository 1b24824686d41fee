import { msg } from '@wenming/contracts';
import { AppError } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/** Completion creates one pending service record per serving volunteer. */
export async function completeOrder(deps: OrdersKit, ctx: RequestCtx, id: string, body: { report: string; hours: number; peopleServed?: number }) {
  const { orders, now, fire, notify } = deps;
  const hours = Math.round(body.hours * 10) / 10;
  if (hours <= 0) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'hours', message: msg('服务时长须大于0', 'Hours must be positive') }]);
  return fire(ctx, id, 'complete', {
    note: body.report,
    patch: { report: body.report, hours, peopleServed: body.peopleServed ?? 1, completedAt: now(), stageDueAt: null },
    then: async (tx, o) => {
      const servers = await orders.servers(o.cityCode, o.id, tx);
      const ids = servers.length ? servers.map((s) => s.volunteerId) : o.assigneeVolunteerId ? [o.assigneeVolunteerId] : [];
      for (const volunteerId of ids)
        await deps.records.createPending(tx, {
          cityCode: o.cityCode,
          volunteerId,
          orgId: o.orgId,
          teamId: o.assigneeTeamId,
          sourceType: 'order',
          sourceId: o.id,
          hours,
          startedAt: o.startedAt,
          endedAt: now(),
          title: `工单 ${o.code}`,
        });
      await notify(tx, o, [o.requesterId], 'order.completed', `服务已完成，请为本次服务评价（${o.code}）`);
    },
  });
}
