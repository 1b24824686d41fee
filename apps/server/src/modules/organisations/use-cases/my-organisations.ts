import type { MyOrganisationsDto } from '@wenming/contracts';
import { toIso } from '../../../lib/time.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { OrganisationsKit } from '../organisations-kit.ts';

/** 我的组织: the organisations the caller administers, and (as a volunteer) those and the teams they belong to. */
export async function myOrganisations(deps: OrganisationsKit, ctx: RequestCtx): Promise<MyOrganisationsDto> {
  const actor = requireActor(ctx);
  const administered = [];
  for (const a of await deps.organisations.administered(actor.userId)) {
    const o = await deps.organisations.byId(a.id);
    if (o) administered.push(deps.present(o, await deps.accessTo(actor, o)));
  }
  const v = actor.volunteerId ? await deps.volunteers.byId(actor.volunteerId) : null;
  if (!v) return { administered, memberOf: [], teams: [] };
  const [memberOf, teams] = await Promise.all([deps.organisations.membershipsOf(v.cityCode, v.id), deps.organisations.teamsOfVolunteer(v.cityCode, v.id)]);
  return { administered, memberOf: memberOf.map((m) => ({ ...m, joinedAt: toIso(m.joinedAt) })), teams };
}
