import { attendanceHours } from '@wenming/domain';
import { toIso } from '../../../lib/time.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

export async function listSignups(deps: ActivitiesKit, ctx: RequestCtx, id: string) {
  const { activities, loadAsOrganizer } = deps;
  const { a } = await loadAsOrganizer(ctx, id);
  const rows = await activities.signups(a.cityCode, a.id);
  return rows.map(({ s, realName, userName }) => ({
    id: s.id,
    userId: s.userId,
    volunteerId: s.volunteerId,
    name: realName ?? userName,
    role: s.role,
    status: s.status,
    checkinAt: s.checkinAt ? toIso(s.checkinAt) : null,
    checkoutAt: s.checkoutAt ? toIso(s.checkoutAt) : null,
    attendanceNote: s.attendanceNote,
    hours: s.checkinAt && s.checkoutAt ? attendanceHours(s.checkinAt, s.checkoutAt, a.startsAt, a.endsAt).hours : null,
  }));
}
