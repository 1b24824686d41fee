import type { PairingPlanDto } from '@wenming/contracts';
import { nextPairingPlanState, PAIRING_PLAN_STATE_NAMES, type PairingPlanEvent } from '@wenming/domain';
import { invalidState } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { PairingKit } from '../pairing-kit.ts';

/** pause / resume / end, by the transition table; tasks from today on follow the plan's state. */
export async function transitionPlan(deps: PairingKit, ctx: RequestCtx, id: string, event: PairingPlanEvent, reason: string | null): Promise<PairingPlanDto> {
  const { db, pairing, today, presentPlan, loadPlanAsStaff, syncTasks, notifyVolunteers } = deps;
  const { actor, plan } = await loadPlanAsStaff(ctx, id);
  const to = nextPairingPlanState(plan.state, event);
  if (!to) throw invalidState({ zh: `结对帮扶${PAIRING_PLAN_STATE_NAMES[plan.state]}，不能执行此操作`, en: `Cannot ${event} a plan that is ${plan.state}` });
  await db.transaction(async (tx) => {
    await pairing.lockPlan(tx, plan.cityCode, plan.id);
    if (!(await pairing.transitionPlan(tx, plan.cityCode, plan.id, plan.state, to, reason)))
      throw invalidState({ zh: '结对帮扶状态已变化，请刷新', en: 'The plan changed meanwhile' });
    const updated = (await pairing.lockPlan(tx, plan.cityCode, plan.id))!;
    await syncTasks(tx, updated, today());
    await deps.audit.record(
      ctx,
      {
        cityCode: plan.cityCode,
        action: `pairing.plan.${event}`,
        entityType: 'pairing_plan',
        entityId: plan.id,
        before: { state: plan.state },
        after: { state: to, reason },
      },
      tx,
    );
    const vols = await pairing.planVolunteers(plan.cityCode, plan.id, tx);
    const title = { pause: `结对帮扶「${plan.name}」已暂停`, resume: `结对帮扶「${plan.name}」已恢复`, end: `结对帮扶「${plan.name}」已结束` }[event];
    await notifyVolunteers(
      tx,
      updated,
      vols.map((v) => v.userId),
      { kind: `pairing.${event}`, title, body: reason ?? undefined, refType: 'pairing_plan', refId: plan.id },
    );
  });
  const fresh = (await pairing.planById(id))!;
  return presentPlan(actor, fresh, 'staff', await pairing.planVolunteers(fresh.cityCode, id));
}
