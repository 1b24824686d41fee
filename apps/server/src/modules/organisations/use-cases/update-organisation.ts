import type { OrganisationDto, TUpdateOrganisationBody } from '@wenming/contracts';
import { duplicate, pgCode, PG } from '../../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { OrganisationsKit } from '../organisations-kit.ts';
import { checkOrganisationFields } from './check-fields.ts';

/** The site's org_admin or the organisation's own admin edits its registration, contact, service area and categories. */
export async function updateOrganisation(deps: OrganisationsKit, ctx: RequestCtx, id: string, body: TUpdateOrganisationBody): Promise<OrganisationDto> {
  const actor = requireActor(ctx);
  const { o } = await deps.loadFor(actor, id, 'manage');
  const serviceOrgIds = await checkOrganisationFields(deps, o.cityCode, body);
  const { serviceOrgIds: _area, ...fields } = body;
  const patch = Object.fromEntries(
    Object.entries({ ...fields, categories: fields.categories ? [...new Set(fields.categories)] : undefined }).filter(([, v]) => v !== undefined),
  );
  try {
    await deps.db.transaction(async (tx) => {
      if (Object.keys(patch).length) await deps.organisations.update(o.cityCode, o.id, patch, deps.now(), tx);
      if (serviceOrgIds) await deps.organisations.setSites(o.cityCode, o.id, serviceOrgIds, tx);
      await deps.audit.record(
        ctx,
        {
          cityCode: o.cityCode,
          orgPath: o.orgPath,
          action: 'organisation.update',
          entityType: 'organisation',
          entityId: o.id,
          before: { name: o.name, creditCode: o.creditCode, status: o.status },
          after: body,
        },
        tx,
      );
    });
  } catch (e) {
    if (pgCode(e) === PG.uniqueViolation)
      throw duplicate({ zh: '该统一社会信用代码已登记', en: 'An organisation with this credit code is already registered' });
    throw e;
  }
  const fresh = (await deps.organisations.byId(id))!;
  return deps.present(fresh, await deps.accessTo(actor, fresh));
}
