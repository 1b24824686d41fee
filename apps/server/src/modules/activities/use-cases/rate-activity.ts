import { duplicate, forbidden, invalidState } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { ratingAverage, type ActivitiesKit } from '../activities-kit.ts';

/** Participants who checked in rate a finished activity once (1–5 and a comment). */
export async function rateActivity(deps: ActivitiesKit, ctx: RequestCtx, id: string, body: { score: number; comment?: string }) {
  const { db, activities, load } = deps;
  const { actor, a } = await load(ctx, id);
  if (a.state !== 'finished') throw invalidState({ zh: '活动结束后才能评价', en: 'Rate a finished activity' });
  if (!(await activities.attended(a.cityCode, a.id, actor.userId)))
    throw forbidden({ zh: '只有签到参加的人可以评价', en: 'Only participants who checked in may rate' });
  const ok = await db.transaction((tx) =>
    activities.rate(tx, { cityCode: a.cityCode, activityId: a.id, userId: actor.userId, score: body.score, comment: body.comment || null }),
  );
  if (!ok) throw duplicate({ zh: '您已评价过该活动', en: 'You have rated this activity' });
  const b = (await activities.byId(id))!;
  return { score: body.score, count: b.ratingCount, average: ratingAverage(b) };
}
