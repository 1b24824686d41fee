import { invalidState, notFound } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/** Withdraw; the first waitlisted person of the same role takes the place, in the same transaction. */
export async function withdrawSignup(deps: ActivitiesKit, ctx: RequestCtx, id: string) {
  const { db, activities, load, notify } = deps;
  const { actor, a } = await load(ctx, id);
  await db.transaction(async (tx) => {
    const locked = await activities.lock(tx, a.cityCode, a.id);
    if (!locked || locked.state !== 'published') throw invalidState({ zh: '活动已结束或取消，不能取消报名', en: 'The activity is closed' });
    const mine = await activities.signupOf(a.id, actor.userId, tx);
    if (!mine) throw notFound({ zh: '您没有报名该活动', en: 'You have not signed up' });
    const w = await activities.withdraw(tx, a.cityCode, mine.id);
    if (!w) throw notFound({ zh: '您没有报名该活动', en: 'You have not signed up' });
    if (mine.status === 'registered') {
      const promoted = await activities.promoteFirst(tx, a.cityCode, a.id, mine.role);
      if (promoted) await notify(tx, a, [promoted.user_id], 'activity.promoted', `候补成功：您已报名「${a.title}」`);
      else await activities.releasePlace(tx, a.cityCode, a.id, mine.role);
    }
  });
}
