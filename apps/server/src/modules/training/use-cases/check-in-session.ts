import { checkinWindow } from '@wenming/domain';
import { duplicate, forbidden, invalidState, ruleViolation } from '../../../lib/errors.ts';
import { toIso } from '../../../lib/time.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** A signed-up volunteer scans the room's code: attendance, once. */
export async function checkInSession(deps: TrainingKit, ctx: RequestCtx, id: string, body: { code: string }) {
  const { actor, s } = await deps.loadSession(ctx, id);
  if (s.state !== 'open') throw invalidState({ zh: '培训不在进行中', en: 'The session is not open' });
  const mine = await deps.training.signupOf(s.cityCode, s.id, actor.userId);
  if (!mine) throw forbidden({ zh: '您没有报名该培训，不能签到', en: 'Only those signed up check in' });
  const t = deps.now();
  const w = checkinWindow(s.startsAt, s.endsAt);
  if (t < w.from || t > w.to) throw ruleViolation({ zh: '不在签到时间内（开始前30分钟至结束）', en: 'Outside the check-in window' });
  if (!deps.codes.verify(s.id, body.code, t)) throw ruleViolation({ zh: '签到码无效或已过期，请重新扫码', en: 'The code is wrong or expired; scan again' });
  const stamped = await deps.db.transaction((tx) => deps.training.stamp(tx, s.cityCode, mine.id, t, null));
  if (!stamped) throw duplicate({ zh: '您已签到', en: 'Already checked in' });
  return { at: toIso(t) };
}
