import type { NominationDto, TCreateNominationBody } from '@wenming/contracts';
import { duplicate, forbidden, invalidState, notFound, pgCode, PG, validationFailed } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { inScope, isAncestorPath, MANAGE_ROLES, scopeOf, type RequestCtx } from '../../../lib/policy.ts';
import type { HonoursKit } from '../honours-kit.ts';

/** A site below the round's organiser (its org admins) nominates one of its volunteers or teams. */
export async function nominate(deps: HonoursKit, ctx: RequestCtx, roundId: string, body: TCreateNominationBody): Promise<NominationDto> {
  const { actor, r, access } = await deps.loadRound(ctx, roundId);
  const org = await deps.orgs.byId(body.orgId);
  if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
  if (!inScope(scopeOf(actor, MANAGE_ROLES), org)) throw forbidden({ zh: '只能以您管理的阵地名义推荐', en: 'Nominate for a site you manage' });
  if (org.cityCode !== r.cityCode || !isAncestorPath(r.orgPath, org.path))
    throw validationFailed('orgId', { zh: '推荐单位须在评选组织方的范围内', en: "The site must lie under the round's organiser" });
  if (r.state !== 'nominating') throw invalidState({ zh: '推荐已截止', en: 'Nominations are closed' });
  let volunteerId: string | null = null;
  let teamId: string | null = null;
  if (r.kind === 'volunteer') {
    const v = body.volunteerId ? await deps.volunteers.byId(body.volunteerId) : null;
    if (!v || v.cityCode !== org.cityCode || !isAncestorPath(org.path, v.orgPath))
      throw validationFailed('volunteerId', { zh: '请选择本阵地的志愿者', en: 'Choose a volunteer of this site' });
    volunteerId = v.id;
  } else {
    const t = body.teamId ? await deps.teams.byId(body.teamId) : null;
    if (!t || t.cityCode !== org.cityCode || !isAncestorPath(org.path, t.orgPath))
      throw validationFailed('teamId', { zh: '请选择本阵地的志愿服务队', en: 'Choose a team of this site' });
    teamId = t.id;
  }
  const id = newId();
  try {
    await deps.db.transaction(async (tx) => {
      await deps.honours.insertNomination(tx, {
        cityCode: r.cityCode,
        id,
        roundId: r.id,
        orgId: org.id,
        volunteerId,
        teamId,
        reason: body.reason,
        status: 'pending',
        createdBy: actor.userId,
      });
      await deps.audit.record(ctx, { cityCode: r.cityCode, action: 'honour.nominate', entityType: 'honour_nomination', entityId: id, after: body }, tx);
    });
  } catch (e) {
    if (pgCode(e) === PG.uniqueViolation) throw duplicate({ zh: '已推荐过该对象', en: 'Already nominated in this round' });
    throw e;
  }
  return deps.presentNomination((await deps.honours.nominationById(id))!, r, access, false);
}
