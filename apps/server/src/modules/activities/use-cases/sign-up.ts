import { duplicate, invalidState, pgCode, PG, ruleViolation } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { SignupRow } from '../activities.repository.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

export async function signUp(deps: ActivitiesKit, ctx: RequestCtx, id: string, role: 'volunteer' | 'resident') {
  const { db, activities, now, load, notify } = deps;
  const { actor, a } = await load(ctx, id);
  let volunteerId: string | null = null;
  if (role === 'volunteer') {
    const v = (await deps.volunteers.byUserId(actor.userId)).find((x) => x.cityCode === a.cityCode);
    if (!v || v.status !== 'active') throw ruleViolation({ zh: '请先完成志愿者报到（或您的志愿者身份已暂停）', en: 'Register as an active volunteer first' });
    if (a.partyOnly && v.politicalStatus !== 'party') throw ruleViolation({ zh: '本活动仅限党员志愿者报名', en: 'Party members only' });
    if (a.adultsOnly && v.birthYear && now().getFullYear() - v.birthYear < 18) throw ruleViolation({ zh: '本活动仅限年满18周岁的志愿者', en: 'Adults only' });
    if (a.teamOnly && a.teamId && !(await deps.teams.isMember(a.cityCode, a.teamId, v.id)))
      throw ruleViolation({ zh: '本活动仅限本队队员报名', en: 'Team members only' });
    if (a.requiredSkills.length && !a.requiredSkills.some((s) => v.skills.includes(s)))
      throw ruleViolation({ zh: '您的技能与本活动要求不符', en: 'Your skills do not match' });
    const lacking = (await deps.missingQualifications?.(a.cityCode, a.id, v.id, a.startsAt)) ?? [];
    if (lacking.length) throw ruleViolation({ zh: `本活动要求持有效资质：${lacking.join('、')}`, en: `Needs a valid qualification: ${lacking.join(', ')}` });
    volunteerId = v.id;
  } else if (a.publicQuota === 0) {
    throw ruleViolation({ zh: '本活动不面向群众报名', en: 'This activity takes no resident sign-ups' });
  }
  let signup: SignupRow;
  try {
    signup = await db.transaction(async (tx) => {
      const locked = await activities.lock(tx, a.cityCode, a.id);
      if (!locked || locked.state !== 'published') throw invalidState({ zh: '活动不在报名中', en: 'The activity is not open for sign-up' });
      if (now() > a.signupDeadline) throw ruleViolation({ zh: '报名已截止', en: 'Sign-up has closed' });
      const registered = await activities.takePlace(tx, a.cityCode, a.id, role);
      const s = await activities.insertSignup(tx, {
        cityCode: a.cityCode,
        id: newId(),
        activityId: a.id,
        userId: actor.userId,
        volunteerId,
        role,
        status: registered ? 'registered' : 'waitlisted',
      });
      await notify(tx, a, [actor.userId], 'activity.signup', registered ? `报名成功：${a.title}` : `已进入候补：${a.title}`);
      return s;
    });
  } catch (e) {
    if (pgCode(e) === PG.uniqueViolation) throw duplicate({ zh: '您已报名该活动', en: 'You have already signed up' });
    throw e;
  }
  return {
    id: signup.id,
    status: signup.status as 'registered' | 'waitlisted',
    role,
    position: signup.status === 'waitlisted' ? await activities.waitlistPosition(a.cityCode, a.id, role, signup.seq!) : null,
  };
}
