import { attendanceHours } from '@wenming/domain';
import { ruleViolation } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/**
 * Finish: one pending service record per volunteer who checked in and out, hours from
 * attendance (below 60 % only with the organiser's override and reason).
 */
export async function finishActivity(
  deps: ActivitiesKit,
  ctx: RequestCtx,
  id: string,
  body: { summary?: string; participants?: number; peopleServed?: number; overrides?: { signupId: string; reason: string }[] },
) {
  const { activities, now, loadAsOrganizer, move } = deps;
  const { a } = await loadAsOrganizer(ctx, id);
  if (now() < a.startsAt) throw ruleViolation({ zh: '活动尚未开始，不能结束', en: 'The activity has not started' });
  const overrides = new Map((body.overrides ?? []).map((o) => [o.signupId, o.reason]));
  let created = 0;
  // 参与人数 / 服务人次 as entered, else those who checked in and the residents among them.
  const signups = await activities.signups(a.cityCode, a.id);
  const came = signups.filter(({ s }) => s.status === 'registered' && s.checkinAt);
  const counts = {
    participants: body.participants ?? came.length,
    peopleServed: body.peopleServed ?? (came.some(({ s }) => s.role === 'resident') ? came.filter(({ s }) => s.role === 'resident').length : null),
  };
  const result = await move(ctx, id, 'finish', { finishedAt: now(), summary: body.summary ?? null, ...counts }, async (tx, act) => {
    for (const { s } of await activities.signups(act.cityCode, act.id, tx)) {
      if (s.role !== 'volunteer' || s.status !== 'registered' || !s.checkinAt || !s.checkoutAt || !s.volunteerId) continue;
      const h = attendanceHours(s.checkinAt, s.checkoutAt, act.startsAt, act.endsAt);
      const override = overrides.get(s.id);
      if (!(h.eligible || (override && h.hours > 0))) continue;
      const ok = await deps.records.createPending(tx, {
        cityCode: act.cityCode,
        volunteerId: s.volunteerId,
        orgId: act.orgId,
        teamId: act.teamId,
        sourceType: 'activity',
        sourceId: act.id,
        hours: h.hours,
        startedAt: s.checkinAt,
        endedAt: s.checkoutAt,
        title: act.title,
        note: override && !h.eligible ? `出勤 ${Math.round(h.share * 100)}%，组织者确认：${override}` : null,
        createdBy: ctx.actor?.userId ?? null,
      });
      if (ok) created++;
    }
  });
  return { ...result, recordsCreated: created };
}
