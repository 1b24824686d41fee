import { forbidden } from '../../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { nominationNotFound, type HonoursKit } from '../honours-kit.ts';

/** A nomination and its round, for the round's organiser. */
export async function loadNomination(deps: HonoursKit, ctx: RequestCtx, id: string) {
  const actor = requireActor(ctx);
  const n = await deps.honours.nominationById(id);
  if (!n) throw nominationNotFound();
  const r = (await deps.honours.roundById(n.roundId))!;
  const access = deps.accessTo(actor, r);
  if (access !== 'organiser') {
    if (access === 'public' && !deps.visible(actor, r, access)) throw nominationNotFound();
    throw forbidden({ zh: '只有评选组织方的管理员可以操作', en: 'Only admins of the organising site may do this' });
  }
  return { actor, r, n };
}
