import { newId } from '../../../lib/ids.ts';
import { type OrdersKit } from '../orders-kit.ts';

const STAGE_NAMES: Record<string, string> = {
  forwarded: '签收',
  acknowledged: '办结',
  extension_requested: '办结',
  accepted: '服务完成',
  in_service: '服务完成',
};

/**
 * 督办: a forwarded order not acknowledged in time, a department's order not answered by its
 * 办理时限, an accepted order not served in time — each is supervised once per stage: a supervision
 * mark and note on the order (the department sees it), a timeline row (escalate, state unchanged),
 * a notice to the forwarding desk and to the nearest staffed desk above it, and one to whoever
 * holds the order. Claimed per city with FOR UPDATE SKIP LOCKED, so any number of runners
 * supervise each order exactly once.
 */
export async function superviseStages(deps: OrdersKit, batch = 100): Promise<number> {
  const { orders, now, notify, inTx, deskUsers } = deps;
  const t = now();
  let total = 0;
  for (const cityCode of await orders.citiesWithStageOverdue(t)) {
    await inTx(async (tx) => {
      for (const r of await orders.lockStageOverdue(tx, cityCode, t, batch)) {
        const handling = (await orders.orgById(cityCode, r.handling_org_id, tx))!;
        const desk = await orders.deskOrgOf(cityCode, handling.path, tx);
        const above = await orders.staffedDeskAbove(cityCode, desk?.path ?? handling.path, tx);
        const current = (await orders.byId(r.id, tx))!;
        const what = STAGE_NAMES[r.state] ?? '办理';
        const note = `超过${what}时限，${above ? `已报${above.name}` : '由本级'}督办`;
        await orders.update(tx, cityCode, r.id, {
          stageEscalatedAt: t,
          supervisedAt: t,
          supervisionNote: note,
          escalationLevel: current.escalationLevel + 1,
        });
        await orders.addEvent(tx, {
          cityCode,
          id: newId(),
          orderId: r.id,
          actorId: null,
          action: 'escalate',
          fromState: r.state,
          toState: r.state,
          note,
          data: { supervise: true, stage: r.state, dueAt: new Date(r.stage_due_at).toISOString(), to: above?.id ?? desk?.id ?? null },
          at: t,
        });
        const o = { cityCode, id: r.id, code: r.code };
        const desks = new Set(await deskUsers(cityCode, handling.path, tx));
        if (above) for (const u of await deskUsers(cityCode, above.path, tx)) desks.add(u);
        await notify(tx, o, [...desks], 'order.supervised', `督办：工单 ${r.code} 超过${what}时限`);
        const holders: (string | null | undefined)[] = [];
        if (r.department_id) holders.push(...(await deps.users.officersOf(cityCode, r.department_id, tx)));
        if (r.assignee_team_id) holders.push((await deps.teams.byId(r.assignee_team_id, tx))?.leaderUserId);
        if (r.assignee_volunteer_id) holders.push((await deps.volunteers.byId(r.assignee_volunteer_id, tx))?.userId);
        await notify(tx, o, holders, 'order.supervised', `督办：工单 ${r.code} 已超过${what}时限，请立即办理`);
        total++;
      }
    });
  }
  return total;
}

/** A reminder to whoever holds the order when a quarter of the stage's time is left (once per stage). */
export async function remindStages(deps: OrdersKit, batch = 100): Promise<number> {
  const { orders, now, notify, inTx } = deps;
  const t = now();
  let total = 0;
  for (const cityCode of await orders.citiesWithStageReminders(t)) {
    await inTx(async (tx) => {
      for (const r of await orders.lockStageReminders(tx, cityCode, t, batch)) {
        const what = STAGE_NAMES[r.state] ?? '办理';
        await orders.update(tx, cityCode, r.id, { stageRemindedAt: t });
        await orders.addEvent(tx, {
          cityCode,
          id: newId(),
          orderId: r.id,
          actorId: null,
          action: 'remind_stage',
          fromState: r.state,
          toState: r.state,
          note: `${what}时限将到，系统提醒`,
          data: { dueAt: new Date(r.stage_due_at).toISOString() },
          at: t,
        });
        const holders: (string | null | undefined)[] = [];
        if (r.department_id) holders.push(...(await deps.users.officersOf(cityCode, r.department_id, tx)));
        if (r.assignee_team_id) holders.push((await deps.teams.byId(r.assignee_team_id, tx))?.leaderUserId);
        if (r.assignee_volunteer_id) holders.push((await deps.volunteers.byId(r.assignee_volunteer_id, tx))?.userId);
        await notify(tx, { cityCode, id: r.id, code: r.code }, holders, 'order.reminder', `提醒：工单 ${r.code} 的${what}时限将到`);
        total++;
      }
    });
  }
  return total;
}
