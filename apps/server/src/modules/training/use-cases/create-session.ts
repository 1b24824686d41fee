import type { TCreateTrainingSessionBody, TrainingSessionDto } from '@wenming/contracts';
import { ruleViolation } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { courseNotFound, type TrainingKit } from '../training-kit.ts';

/** A course held at a site at a time, with a number of places (its site's org admins). */
export async function createSession(deps: TrainingKit, ctx: RequestCtx, body: TCreateTrainingSessionBody): Promise<TrainingSessionDto> {
  const actor = requireActor(ctx);
  const org = await deps.managedOrg(actor, body.orgId);
  const course = await deps.training.courseById(body.courseId);
  if (!course || course.cityCode !== org.cityCode || !deps.usableBy(actor, course)) throw courseNotFound();
  if (course.status !== 'active') throw ruleViolation({ zh: '课程已停用', en: 'The course is retired' });
  if (new Date(body.startsAt) <= deps.now()) throw ruleViolation({ zh: '开始时间须晚于现在', en: 'The session must start in the future' });
  const id = newId();
  await deps.db.transaction(async (tx) => {
    await deps.training.insertSession(tx, {
      cityCode: org.cityCode,
      id,
      courseId: course.id,
      orgId: org.id,
      address: body.address,
      startsAt: new Date(body.startsAt),
      endsAt: new Date(body.endsAt),
      capacity: body.capacity,
      state: 'open',
      createdBy: actor.userId,
    });
    await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'training.session.create', entityType: 'training_session', entityId: id, after: body }, tx);
  });
  return deps.presentSession(actor, (await deps.training.sessionById(id))!, { organiser: true, signup: null });
}
