import type { NominationDto } from '@wenming/contracts';
import { invalidState } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { HonoursKit } from '../honours-kit.ts';
import { loadNomination } from './load-nomination.ts';

/** The organiser awards an approved nominee (the votes inform, the committee decides); the roll shows it once the round closes. */
export async function awardNomination(deps: HonoursKit, ctx: RequestCtx, id: string, award: string): Promise<NominationDto> {
  const { r, n } = await loadNomination(deps, ctx, id);
  if (r.state !== 'voting' || n.status !== 'approved')
    throw invalidState({ zh: '只能在投票阶段表彰已通过审核的推荐', en: 'Award approved nominations while voting' });
  const volunteer = n.volunteerId ? await deps.volunteers.byId(n.volunteerId) : null;
  await deps.db.transaction(async (tx) => {
    if (!(await deps.honours.setNominationStatus(tx, r.cityCode, n.id, 'approved', { status: 'awarded', award, awardedAt: deps.now() })))
      throw invalidState({ zh: '该推荐状态已变化，请刷新', en: 'Changed meanwhile' });
    if (volunteer)
      await deps.notifications.add(tx, {
        userIds: [volunteer.userId],
        cityCode: r.cityCode,
        kind: 'honour.awarded',
        title: `恭喜您获评「${r.title}」${award}`,
        refType: 'honour_round',
        refId: r.id,
      });
    await deps.audit.record(ctx, { cityCode: r.cityCode, action: 'honour.award', entityType: 'honour_nomination', entityId: n.id, after: { award } }, tx);
  });
  return deps.presentNomination((await deps.honours.nominationById(id))!, r, 'organiser', false);
}
