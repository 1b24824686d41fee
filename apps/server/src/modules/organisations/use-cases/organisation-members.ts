import type { OrganisationMemberDto, Page } from '@wenming/contracts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { duplicate, notFound } from '../../../lib/errors.ts';
import { toIso } from '../../../lib/time.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { ZNameCursor, type OrganisationsKit } from '../organisations-kit.ts';

const notMember = () => notFound({ zh: '该志愿者不是本组织成员', en: 'The volunteer is not a member' });

/** The organisation's members (its admins and the site's staff). */
export async function listOrganisationMembers(
  deps: OrganisationsKit,
  ctx: RequestCtx,
  id: string,
  q: { limit: number; cursor?: string },
): Promise<Page<OrganisationMemberDto>> {
  const { o } = await deps.loadFor(requireActor(ctx), id, 'manage');
  const rows = await deps.organisations.members(o.cityCode, o.id, { after: q.cursor ? decodeCursor(q.cursor, ZNameCursor) : undefined, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((m) => ({ ...m, totalHours: Number(m.totalHours), joinedAt: toIso(m.joinedAt) })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ name: last.realName, id: last.volunteerId }) : null,
  };
}

/** Adds a volunteer of the organisation's city as a member (a volunteer may belong to several organisations). */
export async function addOrganisationMember(deps: OrganisationsKit, ctx: RequestCtx, id: string, volunteerId: string) {
  const { o } = await deps.loadFor(requireActor(ctx), id, 'manage');
  const v = await deps.volunteers.byId(volunteerId);
  if (!v || v.cityCode !== o.cityCode) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
  await deps.db.transaction(async (tx) => {
    if (!(await deps.organisations.addMember(o.cityCode, o.id, v.id, tx)))
      throw duplicate({ zh: '该志愿者已是本组织成员', en: 'The volunteer is already a member' });
    await deps.audit.record(
      ctx,
      { cityCode: o.cityCode, orgPath: o.orgPath, action: 'organisation.addMember', entityType: 'organisation', entityId: o.id, after: { volunteerId } },
      tx,
    );
  });
  return { organisationId: o.id, volunteerId: v.id };
}

export async function removeOrganisationMember(deps: OrganisationsKit, ctx: RequestCtx, id: string, volunteerId: string) {
  const { o } = await deps.loadFor(requireActor(ctx), id, 'manage');
  await deps.db.transaction(async (tx) => {
    if (!(await deps.organisations.removeMember(o.cityCode, o.id, volunteerId, tx))) throw notMember();
    await deps.audit.record(
      ctx,
      { cityCode: o.cityCode, orgPath: o.orgPath, action: 'organisation.removeMember', entityType: 'organisation', entityId: o.id, before: { volunteerId } },
      tx,
    );
  });
}
