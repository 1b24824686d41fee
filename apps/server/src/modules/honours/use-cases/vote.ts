import { votingOpen } from '@wenming/domain';
import { duplicate, pgCode, PG, ruleViolation } from '../../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { nominationNotFound, type HonoursKit } from '../honours-kit.ts';

/**
 * A public vote: one per account (one phone is one account) per round per China day. The vote's
 * primary key decides, so two votes sent at once from one account count once (the other is 409).
 */
export async function vote(deps: HonoursKit, ctx: RequestCtx, nominationId: string) {
  const actor = requireActor(ctx);
  const n = await deps.honours.nominationById(nominationId);
  if (!n) throw nominationNotFound();
  const r = (await deps.honours.roundById(n.roundId))!;
  if (!deps.visible(actor, r, deps.accessTo(actor, r)) || (n.status !== 'approved' && n.status !== 'awarded')) throw nominationNotFound();
  const day = deps.today();
  if (!votingOpen(r, day)) throw ruleViolation({ zh: '不在投票时间内', en: 'Voting is not open' });
  if (n.status !== 'approved') throw ruleViolation({ zh: '该推荐已评定，不再接受投票', en: 'This nomination is decided' });
  try {
    await deps.db.transaction(async (tx) => {
      await deps.honours.insertVote(tx, { cityCode: r.cityCode, roundId: r.id, userId: actor.userId, voteDay: day, nominationId: n.id });
    });
  } catch (e) {
    if (pgCode(e) === PG.uniqueViolation) throw duplicate({ zh: '您今天已在本次评选中投过票，明天再来', en: 'You have voted in this round today' });
    throw e;
  }
  return { votes: (await deps.honours.nominationById(n.id))!.votes, votedOn: day };
}
