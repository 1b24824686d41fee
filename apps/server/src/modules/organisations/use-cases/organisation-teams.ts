import { duplicate, notFound } from '../../../lib/errors.ts';
import { assertInScope, MANAGE_ROLES, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { OrganisationsKit } from '../organisations-kit.ts';

/** The site's org_admin places a team of their subtree in the organisation (a team belongs to one organisation at most). */
export async function addOrganisationTeam(deps: OrganisationsKit, ctx: RequestCtx, id: string, teamId: string) {
  const actor = requireActor(ctx);
  const { o } = await deps.loadFor(actor, id, 'staff');
  const team = await deps.teams.byId(teamId);
  if (!team || team.cityCode !== o.cityCode) throw notFound({ zh: '队伍不存在', en: 'No such team' });
  assertInScope(actor, MANAGE_ROLES, { cityCode: team.cityCode, path: team.orgPath });
  await deps.db.transaction(async (tx) => {
    if (!(await deps.organisations.addTeam(o.cityCode, o.id, team.id, tx))) {
      const owner = await deps.organisations.organisationOfTeam(o.cityCode, team.id, tx);
      throw owner === o.id
        ? duplicate({ zh: '该队伍已在本组织中', en: 'The team is already in this organisation' })
        : duplicate({ zh: '该队伍已属于其他组织', en: 'The team belongs to another organisation' });
    }
    await deps.audit.record(
      ctx,
      { cityCode: o.cityCode, orgPath: o.orgPath, action: 'organisation.addTeam', entityType: 'organisation', entityId: o.id, after: { teamId } },
      tx,
    );
  });
  return { organisationId: o.id, teamId: team.id };
}

export async function removeOrganisationTeam(deps: OrganisationsKit, ctx: RequestCtx, id: string, teamId: string) {
  const { o } = await deps.loadFor(requireActor(ctx), id, 'staff');
  await deps.db.transaction(async (tx) => {
    if (!(await deps.organisations.removeTeam(o.cityCode, o.id, teamId, tx)))
      throw notFound({ zh: '该队伍不在本组织中', en: 'The team is not in this organisation' });
    await deps.audit.record(
      ctx,
      { cityCode: o.cityCode, orgPath: o.orgPath, action: 'organisation.removeTeam', entityType: 'organisation', entityId: o.id, before: { teamId } },
      tx,
    );
  });
}
