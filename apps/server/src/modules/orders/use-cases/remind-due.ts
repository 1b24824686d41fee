import { newId } from '../../../lib/ids.ts';
import { type OrdersKit } from '../orders-kit.ts';

/**
 * 催单: a reminder to the assignee when a quarter of the time between dispatch and the accept
 * deadline is left; once per dispatch (reminded_at), claimed with FOR UPDATE SKIP LOCKED.
 */
export async function remindDue(deps: OrdersKit, batch = 100): Promise<number> {
  const { orders, now, notify, inTx } = deps;
  const t = now();
  let total = 0;
  for (const cityCode of await orders.citiesWithReminders(t)) {
    await inTx(async (tx) => {
      for (const r of await orders.lockReminders(tx, cityCode, t, batch)) {
        await orders.update(tx, cityCode, r.id, { remindedAt: t });
        await orders.addEvent(tx, {
          cityCode,
          id: newId(),
          orderId: r.id,
          actorId: null,
          action: 'remind',
          fromState: 'dispatched',
          toState: 'dispatched',
          note: '接单时限将到，系统催单',
          at: t,
        });
        const team = r.assignee_team_id ? await deps.teams.byId(r.assignee_team_id, tx) : null;
        const vol = r.assignee_volunteer_id ? await deps.volunteers.byId(r.assignee_volunteer_id, tx) : null;
        await notify(
          tx,
          { cityCode, id: r.id, code: r.code },
          [team?.leaderUserId, vol?.userId],
          'order.reminder',
          `催单：工单 ${r.code} 即将超时，请尽快接单`,
        );
        total++;
      }
    });
  }
  return total;
}
