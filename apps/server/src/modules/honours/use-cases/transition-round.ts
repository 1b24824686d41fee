import { nextHonourRoundState, type HonourRoundEvent } from '@wenming/domain';
import type { HonourRoundDto } from '@wenming/contracts';
import { invalidState } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { HonoursKit } from '../honours-kit.ts';

/** 开始投票 (nominations close; the approved ones go to the public) or 结束评选 (the honours awarded stand). */
export async function transitionRound(deps: HonoursKit, ctx: RequestCtx, id: string, event: HonourRoundEvent): Promise<HonourRoundDto> {
  const { actor, r } = await deps.loadAsOrganiser(ctx, id);
  const to = nextHonourRoundState(r.state, event);
  if (!to) throw invalidState({ zh: '评选当前状态不允许此操作', en: `Cannot ${event} a round that is ${r.state}` });
  await deps.db.transaction(async (tx) => {
    if (!(await deps.honours.transitionRound(tx, r.cityCode, r.id, r.state, to, deps.now())))
      throw invalidState({ zh: '评选状态已变化，请刷新', en: 'The round changed meanwhile' });
    await deps.audit.record(
      ctx,
      { cityCode: r.cityCode, action: `honour.round.${event}`, entityType: 'honour_round', entityId: r.id, before: { state: r.state }, after: { state: to } },
      tx,
    );
  });
  return deps.presentRound(actor, (await deps.honours.roundById(id))!, 'organiser');
}
