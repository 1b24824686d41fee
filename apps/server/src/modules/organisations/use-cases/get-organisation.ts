import type { OrganisationDetailDto } from '@wenming/contracts';
import { phoneAsSeenBy, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { OrganisationsKit } from '../organisations-kit.ts';

/** An organisation with its service area, teams, admins and figures (staff in scope, its admins, its members). */
export async function getOrganisation(deps: OrganisationsKit, ctx: RequestCtx, id: string): Promise<OrganisationDetailDto> {
  const actor = requireActor(ctx);
  const { o, access } = await deps.loadFor(actor, id, 'read');
  const [serviceSites, teams, admins, figures] = await Promise.all([
    deps.organisations.sites(o.cityCode, o.id),
    deps.organisations.teams(o.cityCode, o.id),
    deps.organisations.admins(o.cityCode, o.id),
    deps.organisations.figures(o.cityCode, o.id),
  ]);
  return {
    ...deps.present(o, access),
    serviceSites,
    teams: teams.map((t) => ({ ...t, memberCount: Number(t.memberCount) })),
    admins: admins.map((a) => ({ userId: a.userId, name: a.name, phone: phoneAsSeenBy(actor, a.userId, a.phone) })),
    figures,
  };
}
