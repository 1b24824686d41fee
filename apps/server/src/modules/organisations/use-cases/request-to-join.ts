import type { JoinRequestDto, TCreateJoinRequestBody } from '@wenming/contracts';
import { duplicate, forbidden, notFound, pgCode, PG, ruleViolation } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { OrganisationsKit } from '../organisations-kit.ts';

const pendingAlready = () => duplicate({ zh: '您已提交过申请，正在等待审核', en: 'You already have a pending request' });

/** A volunteer asks to join a team or an organisation of their city; one pending request per target (a unique index). */
export async function requestToJoin(deps: OrganisationsKit, ctx: RequestCtx, body: TCreateJoinRequestBody): Promise<JoinRequestDto> {
  const actor = requireActor(ctx);
  const v = actor.volunteerId ? await deps.volunteers.byId(actor.volunteerId) : null;
  if (!v) throw forbidden({ zh: '请先报到成为志愿者，再申请加入', en: 'Report in as a volunteer first' });
  if (v.status !== 'active') throw ruleViolation({ zh: '志愿者身份已暂停，暂不能申请加入', en: 'Your volunteer profile is suspended' });
  let target: { cityCode: string; orgPath: string; name: string; deciders: string[] };
  if (body.teamId) {
    const t = await deps.teams.byId(body.teamId);
    if (!t || t.cityCode !== v.cityCode || t.status !== 'active') throw notFound({ zh: '队伍不存在', en: 'No such team' });
    if (await deps.teams.isMember(t.cityCode, t.id, v.id)) throw duplicate({ zh: '您已是该队伍队员', en: 'You are already a member of this team' });
    const organisationId = await deps.organisations.organisationOfTeam(t.cityCode, t.id);
    const admins = organisationId ? await deps.organisations.admins(t.cityCode, organisationId) : [];
    target = {
      cityCode: t.cityCode,
      orgPath: t.orgPath,
      name: t.name,
      deciders: [...(t.leaderUserId ? [t.leaderUserId] : []), ...admins.map((a) => a.userId)],
    };
  } else {
    const o = await deps.organisations.byId(body.organisationId!);
    if (!o || o.cityCode !== v.cityCode || o.status !== 'active') throw notFound({ zh: '志愿服务组织不存在', en: 'No such volunteer organisation' });
    if (await deps.organisations.isMember(o.cityCode, o.id, v.id))
      throw duplicate({ zh: '您已是该组织成员', en: 'You are already a member of this organisation' });
    const admins = await deps.organisations.admins(o.cityCode, o.id);
    target = { cityCode: o.cityCode, orgPath: o.orgPath, name: o.name, deciders: admins.map((a) => a.userId) };
  }
  const id = newId();
  try {
    await deps.db.transaction(async (tx) => {
      await deps.joinRequests.insert(
        {
          cityCode: v.cityCode,
          id,
          volunteerId: v.id,
          teamId: body.teamId ?? null,
          organisationId: body.organisationId ?? null,
          message: body.message || null,
        },
        tx,
      );
      await deps.audit.record(
        ctx,
        { cityCode: v.cityCode, orgPath: target.orgPath, action: 'joinRequest.create', entityType: 'join_request', entityId: id, after: body },
        tx,
      );
      const deciders = [...new Set(target.deciders)].filter((u) => u !== actor.userId);
      if (deciders.length && deps.notifications)
        await deps.notifications.add(tx, {
          userIds: deciders,
          cityCode: v.cityCode,
          kind: 'joinRequest.created',
          title: `${v.realName} 申请加入「${target.name}」`,
          body: body.message || null,
          refType: 'join_request',
          refId: id,
        });
    });
  } catch (e) {
    if (pgCode(e) === PG.uniqueViolation) throw pendingAlready();
    throw e;
  }
  return deps.presentRequest(actor, (await deps.joinRequests.byId(id))!, false);
}
