import { checkinWindow, checkoutWindow, distanceMeters } from '@wenming/domain';
import { forbidden, invalidState, ruleViolation } from '../../../lib/errors.ts';
import { toIso } from '../../../lib/time.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

export async function stampAttendance(
  deps: ActivitiesKit,
  ctx: RequestCtx,
  id: string,
  field: 'checkin' | 'checkout',
  body: { code: string; lat?: number; lng?: number },
) {
  const { db, activities, now, load } = deps;
  const { actor, a } = await load(ctx, id);
  if (a.state !== 'published') throw invalidState({ zh: '活动不在进行中', en: 'The activity is not open' });
  const mine = await activities.signupOf(a.id, actor.userId);
  if (!mine || mine.status !== 'registered') throw forbidden({ zh: '您没有报名成功，不能签到', en: 'Only registered participants check in' });
  const t = now();
  const win = field === 'checkin' ? checkinWindow(a.startsAt, a.endsAt) : checkoutWindow(a.startsAt, a.endsAt);
  if (t < win.from || t > win.to)
    throw ruleViolation(
      field === 'checkin'
        ? { zh: '不在签到时间内（开始前30分钟至结束）', en: 'Outside the check-in window' }
        : { zh: '不在签退时间内（结束后2小时内）', en: 'Outside the check-out window' },
    );
  if (!deps.codes.verify(a.id, body.code, t)) throw ruleViolation({ zh: '签到码无效或已过期，请重新扫码', en: 'The code is wrong or expired; scan again' });
  if (field === 'checkin' && a.geofenceM && a.lat !== null && a.lng !== null) {
    if (body.lat === undefined || body.lng === undefined)
      throw ruleViolation({ zh: '本活动需要定位签到，请允许获取位置', en: 'This activity needs your location' });
    const d = distanceMeters(a.lat, a.lng, body.lat, body.lng);
    if (d > a.geofenceM)
      throw ruleViolation({
        zh: `您距离活动地点约 ${Math.round(d)} 米，超出签到范围（${a.geofenceM} 米）`,
        en: `You are ${Math.round(d)} m away; the limit is ${a.geofenceM} m`,
      });
  }
  if (field === 'checkout' && !mine.checkinAt) throw ruleViolation({ zh: '请先签到', en: 'Check in first' });
  const s = await db.transaction((tx) => activities.stamp(tx, a.cityCode, mine.id, field, t));
  const at = field === 'checkin' ? s.checkinAt! : s.checkoutAt!;
  return { at: toIso(at) };
}
