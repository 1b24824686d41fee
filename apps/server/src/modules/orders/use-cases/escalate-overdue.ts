import { acceptDueAt } from '@wenming/domain';
import { newId } from '../../../lib/ids.ts';
import { type OrdersKit } from '../orders-kit.ts';

/**
 * SLA escalation (中心吹哨): overdue submitted/dispatched orders climb to the nearest staffed desk
 * above their current desk — unstaffed levels are skipped, so the escalation reaches people —
 * with a new accept window, a timeline row, a notice to that desk and one to the desk it left.
 * At the top (no staffed desk above) the order stays and its desk is told again. Safe to run in
 * many processes at once: rows are claimed with FOR UPDATE SKIP LOCKED and the update is
 * conditional on the order still being overdue.
 */
export async function escalateOverdue(deps: OrdersKit, batch = 100): Promise<number> {
  const { orders, now, slaMinutes, notify, inTx, deskUsers } = deps;
  const t = now();
  let total = 0;
  for (const cityCode of await orders.citiesWithOverdue(t)) {
    await inTx(async (tx) => {
      const rows = await orders.lockOverdue(tx, cityCode, t, batch);
      for (const r of rows) {
        const handling = (await orders.orgById(cityCode, r.handling_org_id, tx))!;
        // The current desk: the nearest staffed org at or above the handling org (if any).
        const desk = await orders.deskOrgOf(cityCode, handling.path, tx);
        const above = await orders.staffedDeskAbove(cityCode, desk?.path ?? handling.path, tx);
        const target = above ?? { id: r.handling_org_id, name: handling.name, path: handling.path };
        const sla = await slaMinutes(cityCode, target.path, tx);
        await orders.update(tx, cityCode, r.id, {
          remindedAt: null,
          handlingOrgId: target.id,
          escalationLevel: (await orders.byId(r.id, tx))!.escalationLevel + 1,
          acceptDueAt: acceptDueAt(t, r.urgency, sla),
        });
        await orders.addEvent(tx, {
          cityCode,
          id: newId(),
          orderId: r.id,
          actorId: null,
          action: 'escalate',
          fromState: r.state,
          toState: r.state,
          note: above ? `超时未接单，上报至${above.name}` : '超时未接单（上级无人值守，仍由本级督办）',
          data: { from: r.handling_org_id, to: target.id },
          at: t,
        });
        const o = { cityCode, id: r.id, code: r.code };
        const targetDesk = await deskUsers(cityCode, target.path, tx);
        await notify(tx, o, targetDesk, 'order.escalated', `超时工单 ${r.code} 已上报，请督办`);
        if (above) {
          // The desk it left is told where it went.
          const left = (await deskUsers(cityCode, handling.path, tx)).filter((u) => !targetDesk.includes(u));
          await notify(tx, o, left, 'order.escalated', `工单 ${r.code} 超时未接单，已上报至${above.name}`);
        }
        total++;
      }
    });
  }
  return total;
}
