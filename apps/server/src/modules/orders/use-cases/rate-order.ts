import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

export async function rateOrder(deps: OrdersKit, ctx: RequestCtx, id: string, body: { score: number; comment?: string }) {
  const { orders, now, fire, notify, deskUsers } = deps;
  return fire(ctx, id, 'rate', {
    note: body.comment ?? null,
    data: { score: body.score },
    patch: { rating: body.score, ratingComment: body.comment ?? null, ratedAt: now(), closedAt: now() },
    then: async (tx, o) => {
      if (body.score <= 2)
        await notify(
          tx,
          o,
          await deskUsers(o.cityCode, o.handlingOrgPath, tx),
          'order.revisit',
          `工单 ${o.code} 评价较低（${body.score}星），请回访`,
          body.comment,
        );
      // 五星好评奖励: the site's bonus for each volunteer who served, once per order.
      if (body.score === 5 && deps.earning) {
        const servers = await orders.servers(o.cityCode, o.id, tx);
        const single = !servers.length && o.assigneeVolunteerId ? await deps.volunteers.byId(o.assigneeVolunteerId, tx) : null;
        await deps.earning.onOrderRated(tx, o, body.score, servers.length ? servers.map((x) => x.userId) : single ? [single.userId] : []);
      }
    },
  });
}
