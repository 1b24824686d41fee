import type { OrganisationDto, TCreateOrganisationBody } from '@wenming/contracts';
import { duplicate, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { assertInScope, MANAGE_ROLES, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { OrganisationsKit } from '../organisations-kit.ts';
import { checkOrganisationFields } from './check-fields.ts';

/** An org_admin registers a volunteer organisation under a site of their subtree. */
export async function createOrganisation(deps: OrganisationsKit, ctx: RequestCtx, body: TCreateOrganisationBody): Promise<OrganisationDto> {
  const actor = requireActor(ctx);
  const site = await deps.orgs.byId(body.orgId);
  if (!site) throw notFound({ zh: '阵地不存在', en: 'No such site' });
  assertInScope(actor, MANAGE_ROLES, { cityCode: site.cityCode, path: site.path });
  const serviceOrgIds = await checkOrganisationFields(deps, site.cityCode, body);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    const ok = await deps.organisations.insert(
      {
        cityCode: site.cityCode,
        id,
        orgId: site.id,
        name: body.name,
        creditCode: body.creditCode,
        registrationAuthority: body.registrationAuthority,
        contactName: body.contactName,
        contactPhone: body.contactPhone,
        address: body.address ?? null,
        description: body.description ?? null,
        categories: [...new Set(body.categories)],
        createdBy: actor.userId,
      },
      tx,
    );
    if (!ok) throw duplicate({ zh: '该统一社会信用代码已登记', en: 'An organisation with this credit code is already registered' });
    await deps.organisations.setSites(site.cityCode, id, serviceOrgIds ?? [], tx);
    await deps.audit.record(
      ctx,
      { cityCode: site.cityCode, orgPath: site.path, action: 'organisation.create', entityType: 'organisation', entityId: id, after: body },
      tx,
    );
  });
  const o = (await deps.organisations.byId(id))!;
  return deps.present(o, await deps.accessTo(actor, o));
}
