import { duplicate, invalidState, notFound } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** Attendance by hand for someone without a phone, with a reason (audited). */
export async function markSessionAttendance(deps: TrainingKit, ctx: RequestCtx, id: string, body: { signupId: string; reason: string }) {
  const { s } = await deps.loadSession(ctx, id, true);
  if (s.state !== 'open') throw invalidState({ zh: '培训不在进行中', en: 'The session is not open' });
  const su = await deps.training.signupById(s.cityCode, body.signupId);
  if (!su || su.sessionId !== s.id) throw notFound({ zh: '报名记录不存在', en: 'No such sign-up' });
  await deps.db.transaction(async (tx) => {
    if (!(await deps.training.stamp(tx, s.cityCode, su.id, deps.now(), body.reason))) throw duplicate({ zh: '已签到', en: 'Already checked in' });
    await deps.audit.record(
      ctx,
      { cityCode: s.cityCode, action: 'training.attendance', entityType: 'training_signup', entityId: su.id, after: { reason: body.reason } },
      tx,
    );
  });
  return { ok: true };
}
