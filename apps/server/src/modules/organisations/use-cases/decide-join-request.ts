import type { JoinRequestDto } from '@wenming/contracts';
import { forbidden, invalidState } from '../../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { requestNotFound, type OrganisationsKit } from '../organisations-kit.ts';

const decided = () => invalidState({ zh: '该申请已处理', en: 'The request has already been decided' });

/**
 * The team's leader, the organisation's admin or the site's org_admin approves or refuses. The
 * decision is one conditional update from 'pending' (approving twice approves once), and on
 * approval the membership is written in the same transaction.
 */
export async function decideJoinRequest(
  deps: OrganisationsKit,
  ctx: RequestCtx,
  id: string,
  decision: { approve: true } | { approve: false; reason: string },
): Promise<JoinRequestDto> {
  const actor = requireActor(ctx);
  const r = await deps.joinRequests.byId(id);
  if (!r) throw requestNotFound();
  if (!(await deps.mayDecide(actor, r))) {
    if (r.volunteerUserId === actor.userId) throw forbidden({ zh: '不能审核自己的申请', en: 'You may not decide your own request' });
    throw forbidden({ zh: '只有队长、组织管理员或阵地管理员可以审核', en: "Only the team's leader, the organisation's admins or the site's admins decide" });
  }
  const status = decision.approve ? 'approved' : 'refused';
  const orgPath = r.teamOrgPath ?? r.organisationOrgPath;
  await deps.db.transaction(async (tx) => {
    const moved = await deps.joinRequests.decide(
      r.cityCode,
      r.id,
      { status, reason: decision.approve ? null : decision.reason, decidedBy: actor.userId, at: deps.now() },
      tx,
    );
    if (!moved) throw decided();
    if (decision.approve) {
      if (r.teamId) await deps.teams.addMember(r.cityCode, r.teamId, r.volunteerId, tx);
      else await deps.organisations.addMember(r.cityCode, r.organisationId!, r.volunteerId, tx);
    }
    if (deps.notifications && r.volunteerUserId)
      await deps.notifications.add(tx, {
        userIds: [r.volunteerUserId],
        cityCode: r.cityCode,
        kind: decision.approve ? 'joinRequest.approved' : 'joinRequest.refused',
        title: `加入申请${decision.approve ? '已通过' : '未通过'}：${(r.teamId ? r.teamName : r.organisationName) ?? ''}`,
        body: decision.approve ? null : decision.reason,
        refType: 'join_request',
        refId: r.id,
      });
    await deps.audit.record(
      ctx,
      {
        cityCode: r.cityCode,
        orgPath,
        action: decision.approve ? 'joinRequest.approve' : 'joinRequest.refuse',
        entityType: 'join_request',
        entityId: r.id,
        after: { status, ...(decision.approve ? {} : { reason: decision.reason }) },
      },
      tx,
    );
  });
  return deps.presentRequest(actor, (await deps.joinRequests.byId(id))!, true);
}

/** The volunteer takes back their own pending request. */
export async function withdrawJoinRequest(deps: OrganisationsKit, ctx: RequestCtx, id: string): Promise<JoinRequestDto> {
  const actor = requireActor(ctx);
  const r = await deps.joinRequests.byId(id);
  if (!r || r.volunteerUserId !== actor.userId) throw requestNotFound();
  await deps.db.transaction(async (tx) => {
    if (!(await deps.joinRequests.decide(r.cityCode, r.id, { status: 'withdrawn', decidedBy: actor.userId, at: deps.now() }, tx))) throw decided();
    await deps.audit.record(
      ctx,
      { cityCode: r.cityCode, orgPath: r.teamOrgPath ?? r.organisationOrgPath, action: 'joinRequest.withdraw', entityType: 'join_request', entityId: r.id },
      tx,
    );
  });
  return deps.presentRequest(actor, (await deps.joinRequests.byId(id))!, false);
}
