import { or } from 'drizzle-orm';
import type { OrganisationDto, OrganisationsPage, TListOrganisationsQuery } from '@wenming/contracts';
import { orgs as orgsTable } from '../../../db/schema.ts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { forbidden } from '../../../lib/errors.ts';
import { inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeCondition, scopeOf, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import { ZNameCursor, type OrganisationsKit } from '../organisations-kit.ts';

/** Organisations under the caller's sites (staff), and the ones they administer. */
export async function listOrganisations(deps: OrganisationsKit, ctx: RequestCtx, q: TListOrganisationsQuery): Promise<OrganisationsPage> {
  const actor = requireActor(ctx);
  const read = scopeOf(actor, READ_ROLES);
  const administered = new Set((await deps.organisations.administered(actor.userId)).map((a) => a.id));
  const isStaff = read.all || read.subtrees.length > 0;
  if (!isStaff && administered.size === 0) throw forbidden({ zh: '仅限工作人员与组织管理员使用', en: 'For staff and organisation admins' });
  const { orgPath, scope } = q.orgId ? await narrowToOrg(deps.orgs, read, q.orgId) : { orgPath: undefined, scope: read };
  const condition = q.orgId
    ? scopeCondition(scope, orgsTable.cityCode, orgsTable.path)
    : or(scopeCondition(scope, orgsTable.cityCode, orgsTable.path), deps.organisations.administeredBy(actor.userId))!;
  const rows = await deps.organisations.list({
    scope: condition,
    orgPath,
    category: q.category,
    q: q.q,
    after: q.cursor ? decodeCursor(q.cursor, ZNameCursor) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const manage = scopeOf(actor, MANAGE_ROLES);
  const items: OrganisationDto[] = page.map((o) => {
    const site = { cityCode: o.cityCode, path: o.orgPath };
    return deps.present(o, { staffManages: inScope(manage, site), staffReads: inScope(read, site), organisationAdmin: administered.has(o.id) });
  });
  const last = page.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null };
}
