import { qualificationExpiry } from '@wenming/domain';
import { invalidState, ruleViolation } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/**
 * Ends a session: every volunteer who checked in gets a training record of the course's hours
 * (training hours, never service hours) and the qualification the course grants, valid from today.
 */
export async function finishSession(deps: TrainingKit, ctx: RequestCtx, id: string) {
  const { actor, s } = await deps.loadSession(ctx, id, true);
  if (s.state !== 'open') throw invalidState({ zh: '培训已结束或已取消', en: 'The session is not open' });
  const t = deps.now();
  if (t < s.startsAt) throw ruleViolation({ zh: '培训尚未开始', en: 'The session has not started' });
  const day = deps.today();
  const attended = (await deps.training.signups(s.cityCode, s.id)).filter((r) => r.s.checkinAt);
  await deps.db.transaction(async (tx) => {
    if (!(await deps.training.transition(tx, s.cityCode, s.id, 'open', 'finished', t)))
      throw invalidState({ zh: '培训状态已变化，请刷新', en: 'Changed meanwhile' });
    await deps.training.insertRecords(
      tx,
      attended.map((r) => ({
        cityCode: s.cityCode,
        id: newId(),
        volunteerId: r.s.volunteerId,
        sessionId: s.id,
        courseId: s.courseId,
        orgId: s.orgId,
        title: s.courseTitle,
        hours: s.courseHours,
        trainedOn: day,
        createdBy: actor.userId,
      })),
    );
    if (s.courseQualification)
      await deps.training.insertQualifications(
        tx,
        attended.map((r) => ({
          cityCode: s.cityCode,
          id: newId(),
          volunteerId: r.s.volunteerId,
          name: s.courseQualification!,
          validUntil: qualificationExpiry(day, s.courseQualificationMonths),
          source: 'course' as const,
          courseId: s.courseId,
          sessionId: s.id,
          createdBy: actor.userId,
        })),
      );
    if (attended.length)
      await deps.notifications.add(tx, {
        userIds: attended.map((r) => r.s.userId),
        cityCode: s.cityCode,
        kind: 'training.finished',
        title: `培训已结业：${s.courseTitle}（${s.courseHours} 学时）`,
        refType: 'training_session',
        refId: s.id,
      });
    await deps.audit.record(
      ctx,
      { cityCode: s.cityCode, action: 'training.session.finish', entityType: 'training_session', entityId: s.id, after: { attended: attended.length } },
      tx,
    );
  });
  return deps.presentSession(actor, (await deps.training.sessionById(id))!, { organiser: true });
}
