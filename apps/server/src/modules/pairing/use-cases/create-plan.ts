import type { PairingPlanDto, TCreatePairingPlanBody } from '@wenming/contracts';
import { notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { assertInScope, READ_ROLES, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { PairingKit } from '../pairing-kit.ts';

// ── plans ──────────────────────────────────────────────────────────────────────────────
export async function createPlan(deps: PairingKit, ctx: RequestCtx, body: TCreatePairingPlanBody): Promise<PairingPlanDto> {
  const { db, pairing, today, presentPlan, checkVolunteers, checkResidents, syncTasks, notifyVolunteers } = deps;
  const actor = requireActor(ctx);
  const org = await deps.orgs.byId(body.orgId);
  if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
  assertInScope(actor, READ_ROLES, org);
  const vols = await checkVolunteers(org, body.volunteerIds);
  await checkResidents(org, body.residentIds);
  const id = newId();
  await db.transaction(async (tx) => {
    await pairing.insertPlan(tx, {
      cityCode: org.cityCode,
      id,
      orgId: org.id,
      name: body.name,
      description: body.description ?? null,
      state: 'active',
      rules: body.rules,
      startsOn: body.startsOn,
      endsOn: body.endsOn ?? null,
      visitHours: Math.round(body.visitHours * 10) / 10,
      createdBy: actor.userId,
    });
    await pairing.setPlanVolunteers(tx, org.cityCode, id, body.volunteerIds);
    await pairing.setPlanResidents(tx, org.cityCode, id, body.residentIds);
    const plan = (await pairing.lockPlan(tx, org.cityCode, id))!;
    const created = await syncTasks(tx, plan, today());
    await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'pairing.plan.create', entityType: 'pairing_plan', entityId: id, after: body }, tx);
    await notifyVolunteers(
      tx,
      plan,
      vols.map((v) => v.userId),
      {
        kind: 'pairing.joined',
        title: `您已加入结对帮扶「${plan.name}」`,
        body: created.length ? `近两周有 ${created.length} 次探访任务，请在“结对帮扶”中查看。` : '探访任务生成后会通知您。',
        refType: 'pairing_plan',
        refId: id,
      },
    );
  });
  const plan = (await pairing.planById(id))!;
  return presentPlan(actor, plan, 'staff', await pairing.planVolunteers(plan.cityCode, id));
}
