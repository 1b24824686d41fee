import type { NominationDto } from '@wenming/contracts';
import { invalidState } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { HonoursKit } from '../honours-kit.ts';
import { loadNomination } from './load-nomination.ts';

/** The organiser reviews a nomination: approved ones go to the public vote. */
export async function reviewNomination(
  deps: HonoursKit,
  ctx: RequestCtx,
  id: string,
  body: { decision: 'approve' | 'reject'; note?: string | null },
): Promise<NominationDto> {
  const { actor, r, n } = await loadNomination(deps, ctx, id);
  if (n.status !== 'pending' || r.state === 'closed') throw invalidState({ zh: '该推荐已审核', en: 'Already reviewed' });
  const status = body.decision === 'approve' ? 'approved' : 'rejected';
  await deps.db.transaction(async (tx) => {
    const ok = await deps.honours.setNominationStatus(tx, r.cityCode, n.id, 'pending', {
      status,
      reviewNote: body.note ?? null,
      reviewedBy: actor.userId,
      reviewedAt: deps.now(),
    });
    if (!ok) throw invalidState({ zh: '该推荐已审核', en: 'Already reviewed' });
    await deps.audit.record(ctx, { cityCode: r.cityCode, action: 'honour.review', entityType: 'honour_nomination', entityId: n.id, after: body }, tx);
  });
  return deps.presentNomination((await deps.honours.nominationById(id))!, r, 'organiser', false);
}
