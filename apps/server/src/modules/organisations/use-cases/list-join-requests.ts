import type { JoinRequestDto, JoinTargetsDto, Page, TListJoinRequestsQuery } from '@wenming/contracts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { MANAGE_ROLES, requireActor, scopeCondition, scopeOf, type RequestCtx } from '../../../lib/policy.ts';
import { ZRequestCursor, type OrganisationsKit } from '../organisations-kit.ts';

/** The caller's own requests, newest first (empty for someone who is not a volunteer). */
export async function listMyJoinRequests(deps: OrganisationsKit, ctx: RequestCtx): Promise<{ items: JoinRequestDto[] }> {
  const actor = requireActor(ctx);
  const v = actor.volunteerId ? await deps.volunteers.byId(actor.volunteerId) : null;
  if (!v) return { items: [] };
  const rows = await deps.joinRequests.ofVolunteer(v.cityCode, v.id, 100);
  return { items: rows.map((r) => deps.presentRequest(actor, r, false)) };
}

/** Requests the caller may decide: of teams they lead, of organisations they administer (and those organisations' teams), of sites in their org_admin scope. */
export async function listJoinRequestsToDecide(deps: OrganisationsKit, ctx: RequestCtx, q: TListJoinRequestsQuery): Promise<Page<JoinRequestDto>> {
  const actor = requireActor(ctx);
  const manage = scopeOf(actor, MANAGE_ROLES);
  const rows = await deps.joinRequests.forDecider({
    staffScope: (cityCol, pathCol) => scopeCondition(manage, cityCol, pathCol),
    userId: actor.userId,
    status: q.status,
    teamId: q.teamId,
    organisationId: q.organisationId,
    after: q.cursor ? decodeCursor(q.cursor, ZRequestCursor) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => deps.presentRequest(actor, r, true)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.createdKey, id: last.id }) : null,
  };
}

/** Teams and organisations of the volunteer's city, marked where they are a member or have a pending request. */
export async function listJoinTargets(deps: OrganisationsKit, ctx: RequestCtx, q: { q?: string }): Promise<JoinTargetsDto> {
  const actor = requireActor(ctx);
  const v = actor.volunteerId ? await deps.volunteers.byId(actor.volunteerId) : null;
  if (!v) return { teams: [], organisations: [] };
  const [teams, organisations] = await Promise.all([
    deps.organisations.teamDirectory(v.cityCode, v.id, q.q, 50),
    deps.organisations.directory(v.cityCode, v.id, q.q, 50),
  ]);
  return {
    teams: teams.map((t) => ({ ...t, memberCount: Number(t.memberCount), member: Boolean(t.member), pending: Boolean(t.pending) })),
    organisations: organisations.map((o) => ({ ...o, memberCount: Number(o.memberCount), member: Boolean(o.member), pending: Boolean(o.pending) })),
  };
}
