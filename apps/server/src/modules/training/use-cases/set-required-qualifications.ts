import { forbidden, invalidState, notFound } from '../../../lib/errors.ts';
import { READ_ROLES, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

const activityNotFound = () => notFound({ zh: '活动不存在', en: 'No such activity' });

/** What an activity requires of its volunteers (e.g. 急救证): its organisers set it before it finishes. */
export async function setRequiredQualifications(deps: TrainingKit, ctx: RequestCtx, activityId: string, names: string[]) {
  const actor = requireActor(ctx);
  const a = await deps.training.activityRef(activityId);
  if (!a) throw activityNotFound();
  const organiser = deps.holds(actor, READ_ROLES, a) || a.createdBy === actor.userId;
  if (!organiser) {
    if (deps.isStaffAnywhere(actor)) throw forbidden({ zh: '只有活动组织者可以操作', en: 'Only the organiser may do this' });
    throw activityNotFound();
  }
  if (a.state !== 'draft' && a.state !== 'published') throw invalidState({ zh: '活动已结束或已取消', en: 'The activity is over' });
  const unique = [...new Set(names)];
  await deps.db.transaction(async (tx) => {
    await deps.training.setRequired(tx, a.cityCode, a.id, unique);
    await deps.audit.record(
      ctx,
      { cityCode: a.cityCode, action: 'activity.qualifications', entityType: 'activity', entityId: a.id, after: { names: unique } },
      tx,
    );
  });
  return { names: await deps.training.requiredOf(a.cityCode, a.id) };
}

export async function getRequiredQualifications(deps: TrainingKit, ctx: RequestCtx, activityId: string) {
  requireActor(ctx);
  const a = await deps.training.activityRef(activityId);
  if (!a) throw activityNotFound();
  return { names: await deps.training.requiredOf(a.cityCode, a.id) };
}
