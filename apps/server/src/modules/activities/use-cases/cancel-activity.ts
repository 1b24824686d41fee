import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/** Cancels the activity by the transition table and tells everyone still signed up. */
export function cancelActivity(deps: ActivitiesKit, ctx: RequestCtx, id: string) {
  const { activities, now, move, notify } = deps;
  return move(ctx, id, 'cancel', { cancelledAt: now() }, async (tx, a) => {
    const people = (await activities.signups(a.cityCode, a.id, tx)).filter((s) => s.s.status !== 'withdrawn').map((s) => s.s.userId);
    await notify(tx, a, people, 'activity.cancelled', `活动「${a.title}」已取消`, '很抱歉，活动因故取消。');
  });
}
