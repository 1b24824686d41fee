import type { HonourRoundDto, NominationDto } from '@wenming/contracts';
import { isAncestorPath, type RequestCtx } from '../../../lib/policy.ts';
import type { HonoursKit } from '../honours-kit.ts';

/** A round and its nominations: the organiser sees all; a nominating site its own and the approved; the public the approved. */
export async function getRound(deps: HonoursKit, ctx: RequestCtx, id: string): Promise<HonourRoundDto & { nominations: NominationDto[] }> {
  const { actor, r, access } = await deps.loadRound(ctx, id);
  const all = await deps.honours.nominationsOf(r.cityCode, r.id, null);
  const mine = (orgPath: string) => actor.grants.some((g) => g.role === 'org_admin' && g.cityCode === r.cityCode && isAncestorPath(g.orgPath, orgPath));
  const shown = all.filter((n) => access === 'organiser' || n.status === 'approved' || n.status === 'awarded' || (access === 'nominator' && mine(n.orgPath)));
  const round = await deps.presentRound(actor, r, access);
  return { ...round, nominations: shown.map((n) => deps.presentNomination(n, r, access, round.votedToday)) };
}
