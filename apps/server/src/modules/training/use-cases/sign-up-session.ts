import { duplicate, invalidState, pgCode, PG, ruleViolation } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** A volunteer signs up for a session: one place each, never more sign-ups than places. */
export async function signUpSession(deps: TrainingKit, ctx: RequestCtx, id: string) {
  const { actor, s } = await deps.loadSession(ctx, id);
  const v = (await deps.volunteers.byUserId(actor.userId)).find((x) => x.cityCode === s.cityCode);
  if (!v || v.status !== 'active') throw ruleViolation({ zh: '请先完成志愿者报到（或您的志愿者身份已暂停）', en: 'Register as an active volunteer first' });
  if (s.state !== 'open') throw invalidState({ zh: '培训不在报名中', en: 'The session is not open' });
  if (deps.now() >= s.startsAt) throw ruleViolation({ zh: '培训已开始，报名已截止', en: 'Sign-up has closed' });
  const signupId = newId();
  try {
    await deps.db.transaction(async (tx) => {
      if (!(await deps.training.takePlace(tx, s.cityCode, s.id))) throw ruleViolation({ zh: '名额已满', en: 'The session is full' });
      await deps.training.insertSignup(tx, { cityCode: s.cityCode, id: signupId, sessionId: s.id, userId: actor.userId, volunteerId: v.id });
      await deps.notifications.add(tx, {
        userIds: [actor.userId],
        cityCode: s.cityCode,
        kind: 'training.signup',
        title: `培训报名成功：${s.courseTitle}`,
        refType: 'training_session',
        refId: s.id,
      });
    });
  } catch (e) {
    if (pgCode(e) === PG.uniqueViolation) throw duplicate({ zh: '您已报名该培训', en: 'You have already signed up' });
    throw e;
  }
  return { id: signupId };
}
