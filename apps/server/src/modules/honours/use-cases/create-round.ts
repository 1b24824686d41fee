import type { HonourRoundDto, TCreateHonourRoundBody } from '@wenming/contracts';
import { notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { assertInScope, MANAGE_ROLES, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { HonoursKit } from '../honours-kit.ts';

/** A selection round organised by a site (the city's or a district's centre): the sites below it nominate. */
export async function createRound(deps: HonoursKit, ctx: RequestCtx, body: TCreateHonourRoundBody): Promise<HonourRoundDto> {
  const actor = requireActor(ctx);
  const org = await deps.orgs.byId(body.orgId);
  if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
  assertInScope(actor, MANAGE_ROLES, org);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    await deps.honours.insertRound(tx, {
      cityCode: org.cityCode,
      id,
      orgId: org.id,
      title: body.title,
      kind: body.kind,
      description: body.description ?? null,
      state: 'nominating',
      votingStartsOn: body.votingStartsOn,
      votingEndsOn: body.votingEndsOn,
      createdBy: actor.userId,
    });
    await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'honour.round.create', entityType: 'honour_round', entityId: id, after: body }, tx);
  });
  return deps.presentRound(actor, (await deps.honours.roundById(id))!, 'organiser', 0, false);
}
