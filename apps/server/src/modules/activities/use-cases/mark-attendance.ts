import { invalidState, notFound } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/** Attendance by hand for people without phones, with a reason (audited). */
export async function markAttendance(
  deps: ActivitiesKit,
  ctx: RequestCtx,
  id: string,
  body: { signupId: string; checkinAt: string; checkoutAt: string; reason: string },
) {
  const { db, activities, loadAsOrganizer } = deps;
  const { a } = await loadAsOrganizer(ctx, id);
  if (a.state !== 'published') throw invalidState({ zh: '活动不在进行中', en: 'The activity is not open' });
  const s = await activities.signupById(body.signupId);
  if (!s || s.activityId !== a.id || s.status !== 'registered') throw notFound({ zh: '报名记录不存在', en: 'No such sign-up' });
  await db.transaction(async (tx) => {
    await activities.setAttendance(tx, a.cityCode, s.id, new Date(body.checkinAt), new Date(body.checkoutAt), body.reason);
    await deps.audit.record(
      ctx,
      {
        cityCode: a.cityCode,
        action: 'activity.attendance',
        entityType: 'activity_signup',
        entityId: s.id,
        before: { checkinAt: s.checkinAt, checkoutAt: s.checkoutAt },
        after: body,
      },
      tx,
    );
  });
  return { ok: true };
}
