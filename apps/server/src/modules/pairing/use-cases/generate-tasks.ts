import { addDays, expandPairingSchedule, localDate, PAIRING_HORIZON_DAYS } from '@wenming/domain';
import { fmtDue, taskRowsOf, type PairingKit } from '../pairing-kit.ts';

/**
 * The job: ends plans past their end date, then creates the visit tasks of the next
 * PAIRING_HORIZON_DAYS days for every active plan. Idempotent (unique plan + date + kind;
 * inserts that exist do nothing), so any number of processes may run it at once; only the
 * run that inserted a task notifies its volunteers, in the same transaction.
 */
export async function generateTasks(deps: PairingKit, at: Date = deps.now()): Promise<{ created: number; ended: number }> {
  const { db, pairing, notifyVolunteers } = deps;
  const td = localDate(at);
  let ended = 0;
  for (const p of await pairing.expiredPlans(td)) {
    await db.transaction(async (tx) => {
      const locked = await pairing.lockPlan(tx, p.cityCode, p.id);
      if (!locked || locked.state === 'ended' || !locked.endsOn || locked.endsOn >= td) return;
      if (!(await pairing.transitionPlan(tx, p.cityCode, p.id, locked.state, 'ended', '已到结束日期'))) return;
      await pairing.cancelOpenFrom(tx, p.cityCode, p.id, td);
      ended++;
    });
  }
  let created = 0;
  for (const p of await pairing.activePlans()) {
    await db.transaction(async (tx) => {
      const plan = await pairing.lockPlan(tx, p.cityCode, p.id);
      if (!plan || plan.state !== 'active') return;
      const visits = expandPairingSchedule(plan.rules, { startsOn: plan.startsOn, endsOn: plan.endsOn, from: td, to: addDays(td, PAIRING_HORIZON_DAYS) });
      const inserted = await pairing.insertTasks(tx, taskRowsOf(plan, visits));
      if (!inserted.length) return;
      created += inserted.length;
      const users = (await pairing.planVolunteers(plan.cityCode, plan.id, tx)).filter((v) => v.status === 'active').map((v) => v.userId);
      for (const t of inserted)
        await notifyVolunteers(tx, plan, users, {
          kind: 'pairing.task',
          title: `结对探访：${t.label}`,
          body: `${fmtDue(t.dueAt)}，${plan.name}`,
          refType: 'pairing_task',
          refId: t.id,
        });
    });
  }
  return { created, ended };
}
