import { acceptDueAt } from '@wenming/domain';
import { newId } from '../../../lib/ids.ts';
import { type OrdersKit } from '../orders-kit.ts';

/**
 * SLA escalation (中心吹哨): overdue submitted/dispatched orders climb to the parent org's
 * desk, with a new accept window, a timeline row and a notice to that desk. Safe to run in
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
        // The order climbs above its current desk (the nearest staffed org at or above it).
        const handling = await orders.orgById(cityCode, r.handling_org_id, tx);
        const desk = handling ? await orders.deskOrgOf(cityCode, handling.path, tx) : null;
        const parentId = desk ? desk.parent_id : (handling?.parentId ?? null);
        const target = parentId ?? r.handling_org_id;
        const targetOrg = await orders.orgById(cityCode, target, tx);
        const sla = await slaMinutes(cityCode, targetOrg!.path, tx);
        await orders.update(tx, cityCode, r.id, {
          remindedAt: null,
          handlingOrgId: target,
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
          note: parentId ? `超时未接单，上报至${targetOrg!.name}` : '超时未接单（已在最高一级）',
          data: { from: r.handling_org_id, to: target },
          at: t,
        });
        await notify(
          tx,
          { cityCode, id: r.id, code: r.code },
          await deskUsers(cityCode, targetOrg!.path, tx),
          'order.escalated',
          `超时工单 ${r.code} 已上报，请督办`,
        );
        total++;
      }
    });
  }
  return total;
}
