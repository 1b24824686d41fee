import { duplicate, notFound } from '../../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { OrganisationsKit } from '../organisations-kit.ts';

/** The site's org_admin names an account 组织管理员 of this organisation (it then manages this organisation only). */
export async function addOrganisationAdmin(deps: OrganisationsKit, ctx: RequestCtx, id: string, userId: string) {
  const actor = requireActor(ctx);
  const { o } = await deps.loadFor(actor, id, 'staff');
  if (!(await deps.users.byId(userId))) throw notFound({ zh: '账号不存在', en: 'No such account' });
  await deps.db.transaction(async (tx) => {
    if (!(await deps.organisations.addAdmin(o.cityCode, o.id, userId, actor.userId, tx)))
      throw duplicate({ zh: '该账号已是本组织管理员', en: 'Already an admin of this organisation' });
    await deps.audit.record(
      ctx,
      { cityCode: o.cityCode, orgPath: o.orgPath, action: 'organisation.addAdmin', entityType: 'organisation', entityId: o.id, after: { userId } },
      tx,
    );
  });
  return { organisationId: o.id, userId };
}

export async function removeOrganisationAdmin(deps: OrganisationsKit, ctx: RequestCtx, id: string, userId: string) {
  const { o } = await deps.loadFor(requireActor(ctx), id, 'staff');
  await deps.db.transaction(async (tx) => {
    if (!(await deps.organisations.removeAdmin(o.cityCode, o.id, userId, tx)))
      throw notFound({ zh: '该账号不是本组织管理员', en: 'Not an admin of this organisation' });
    await deps.audit.record(
      ctx,
      { cityCode: o.cityCode, orgPath: o.orgPath, action: 'organisation.removeAdmin', entityType: 'organisation', entityId: o.id, before: { userId } },
      tx,
    );
  });
}
