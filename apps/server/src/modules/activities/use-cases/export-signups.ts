import { attendanceHours } from '@wenming/domain';
import { phoneAsSeenBy, type RequestCtx } from '../../../lib/policy.ts';
import { signupsWorkbook, type SignupExportRow } from '../activities-export.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/**
 * The sign-up list as .xlsx, for the same organisers as `signups`: everyone who signed up, with
 * the phone masked unless the viewer is a platform admin or that person, and waitlist places.
 */
export async function exportSignups(deps: ActivitiesKit, ctx: RequestCtx, id: string): Promise<{ fileName: string; data: Buffer }> {
  const { activities, loadAsOrganizer } = deps;
  const { actor, a } = await loadAsOrganizer(ctx, id);
  const rows = await activities.signups(a.cityCode, a.id);
  const phones = await activities.signupPhones(a.cityCode, a.id);
  const waiting = { volunteer: 0, resident: 0 };
  const items = rows.map(({ s, realName, userName }): SignupExportRow => {
    const phone = phones.get(s.id) ?? '';
    const attended = s.checkinAt && s.checkoutAt ? attendanceHours(s.checkinAt, s.checkoutAt, a.startsAt, a.endsAt) : null;
    return {
      role: s.role,
      name: realName ?? userName,
      phone: phoneAsSeenBy(actor, s.userId, phone),
      status: s.status,
      // Rows come in sign-up order (seq), so counting the waitlisted ones gives each its place.
      position: s.status === 'waitlisted' ? ++waiting[s.role] : null,
      signedUpAt: s.createdAt,
      checkinAt: s.checkinAt,
      checkoutAt: s.checkoutAt,
      share: attended?.share ?? null,
      hours: attended?.hours ?? null,
      attendanceNote: s.attendanceNote,
    };
  });
  await deps.audit.record(ctx, {
    cityCode: a.cityCode,
    action: 'activity.signups.export',
    entityType: 'activity',
    entityId: a.id,
    after: { rows: items.length },
  });
  return { fileName: `${a.title.replace(/[\\/:*?"<>|\r\n]/g, '_')}-报名与出勤名单.xlsx`, data: await signupsWorkbook(items) };
}
