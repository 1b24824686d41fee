import type { PairingPlanDto, TUpdatePairingPlanBody } from '@wenming/contracts';
import { invalidState, validationFailed } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { PairingKit } from '../pairing-kit.ts';

export async function updatePlan(deps: PairingKit, ctx: RequestCtx, id: string, body: TUpdatePairingPlanBody): Promise<PairingPlanDto> {
  const { db, pairing, today, presentPlan, loadPlanAsStaff, checkVolunteers, checkResidents, syncTasks, notifyVolunteers } = deps;
  const { actor, plan, vols: before } = await loadPlanAsStaff(ctx, id);
  if (plan.state === 'ended') throw invalidState({ zh: '结对帮扶已结束，不能修改', en: 'The plan has ended' });
  const org = { cityCode: plan.cityCode, path: plan.orgPath };
  const vols = body.volunteerIds ? await checkVolunteers(org, body.volunteerIds) : null;
  if (body.residentIds) await checkResidents(org, body.residentIds);
  const startsOn = body.startsOn ?? plan.startsOn;
  const endsOn = body.endsOn === undefined ? plan.endsOn : body.endsOn;
  if (endsOn && endsOn < startsOn) throw validationFailed('endsOn', { zh: '结束日期不能早于开始日期', en: 'The end is before the start' });
  await db.transaction(async (tx) => {
    const locked = await pairing.lockPlan(tx, plan.cityCode, plan.id);
    if (!locked || locked.state === 'ended') throw invalidState({ zh: '结对帮扶已结束，不能修改', en: 'The plan has ended' });
    const patch: Record<string, unknown> = { startsOn, endsOn };
    if (body.name !== undefined) patch.name = body.name;
    if (body.description !== undefined) patch.description = body.description;
    if (body.rules !== undefined) patch.rules = body.rules;
    if (body.visitHours !== undefined) patch.visitHours = Math.round(body.visitHours * 10) / 10;
    if (!(await pairing.updatePlan(tx, plan.cityCode, plan.id, patch))) throw invalidState({ zh: '结对帮扶已结束，不能修改', en: 'The plan has ended' });
    if (body.volunteerIds) await pairing.setPlanVolunteers(tx, plan.cityCode, plan.id, body.volunteerIds);
    if (body.residentIds) await pairing.setPlanResidents(tx, plan.cityCode, plan.id, body.residentIds);
    const updated = (await pairing.lockPlan(tx, plan.cityCode, plan.id))!;
    await syncTasks(tx, updated, today());
    await deps.audit.record(
      ctx,
      {
        cityCode: plan.cityCode,
        action: 'pairing.plan.update',
        entityType: 'pairing_plan',
        entityId: plan.id,
        before: { name: plan.name, rules: plan.rules, startsOn: plan.startsOn, endsOn: plan.endsOn, volunteerIds: before.map((v) => v.id) },
        after: body,
      },
      tx,
    );
    if (vols) {
      const added = vols.filter((v) => !before.some((b) => b.id === v.id)).map((v) => v.userId);
      await notifyVolunteers(tx, updated, added, {
        kind: 'pairing.joined',
        title: `您已加入结对帮扶「${updated.name}」`,
        body: '请在“结对帮扶”中查看探访任务。',
        refType: 'pairing_plan',
        refId: plan.id,
      });
    }
  });
  const fresh = (await pairing.planById(id))!;
  return presentPlan(actor, fresh, 'staff', await pairing.planVolunteers(fresh.cityCode, id));
}
