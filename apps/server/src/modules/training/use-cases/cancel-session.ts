import { invalidState } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

export async function cancelSession(deps: TrainingKit, ctx: RequestCtx, id: string) {
  const { actor, s } = await deps.loadSession(ctx, id, true);
  const signups = await deps.training.signups(s.cityCode, s.id);
  await deps.db.transaction(async (tx) => {
    if (!(await deps.training.transition(tx, s.cityCode, s.id, 'open', 'cancelled', deps.now())))
      throw invalidState({ zh: '培训已结束或已取消', en: 'The session is not open' });
    if (signups.length)
      await deps.notifications.add(tx, {
        userIds: signups.map((r) => r.s.userId),
        cityCode: s.cityCode,
        kind: 'training.cancelled',
        title: `培训已取消：${s.courseTitle}`,
        refType: 'training_session',
        refId: s.id,
      });
    await deps.audit.record(ctx, { cityCode: s.cityCode, action: 'training.session.cancel', entityType: 'training_session', entityId: s.id }, tx);
  });
  return deps.presentSession(actor, (await deps.training.sessionById(id))!, { organiser: true });
}
