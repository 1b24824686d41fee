import { msg, type TCreateActivityBody } from '@wenming/contracts';
import { AppError, forbidden, notFound, ruleViolation } from '../../../lib/errors.ts';
import { newCityId } from '../../../lib/ids.ts';
import { inScope, isAncestorPath, READ_ROLES, requireActor, scopeOf, type RequestCtx } from '../../../lib/policy.ts';

/** Two sites on one line of the tree: one is the other or above it. */
const onOneLine = (a: string, b: string) => isAncestorPath(a, b) || isAncestorPath(b, a);
import type { ActivitiesKit } from '../activities-kit.ts';

export async function createActivity(deps: ActivitiesKit, ctx: RequestCtx, body: TCreateActivityBody) {
  const { db, activities, present, checkPhotos } = deps;
  const actor = requireActor(ctx);
  const org = await deps.orgs.byId(body.orgId);
  if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
  let allowed = inScope(scopeOf(actor, READ_ROLES), { cityCode: org.cityCode, path: org.path });
  if (body.teamId) {
    const team = await deps.teams.byId(body.teamId);
    if (!team || team.cityCode !== org.cityCode) throw notFound({ zh: '队伍不存在', en: 'No such team' });
    if (team.leaderUserId === actor.userId && isAncestorPath(team.orgPath, org.path)) allowed = true;
    if (!allowed) throw forbidden({ zh: '只有工作人员或队长可以发布活动', en: 'Only staff or a team leader create activities' });
    // Issue 15: a team of the site's own line (its site, above it or below it), never another district's.
    if (!onOneLine(team.orgPath, org.path))
      throw ruleViolation({ zh: '只能选择本阵地、上级或下级阵地的队伍', en: 'The team must belong to this site, a site above it or one below it' });
  }
  if (!allowed) throw forbidden({ zh: '只有工作人员或队长可以发布活动', en: 'Only staff or a team leader create activities' });
  if (body.resourceId) {
    const site = await activities.resourceSite(org.cityCode, body.resourceId);
    if (!site) throw notFound({ zh: '资源不存在', en: 'No such resource' });
    if (!onOneLine(site.path, org.path))
      throw ruleViolation({ zh: '只能选择本阵地、上级或下级阵地的资源', en: 'The resource must belong to this site, a site above it or one below it' });
  }
  const known = new Set((await deps.catalogues.categories()).map((c) => c.code));
  for (const [path, code] of [['category', body.category], ...(body.requiredSkills ?? []).map((s) => ['requiredSkills', s] as const)] as const)
    if (!known.has(code)) throw new AppError('VALIDATION_FAILED', undefined, [{ path, message: msg('无效的服务类别', 'Invalid category code') }]);
  await checkPhotos(body.photoIds);
  const id = newCityId(org.cityCode);
  const WEEK = 7 * 24 * 3600_000;
  const occurrences = body.repeatWeeks ?? 1;
  const ids = [id, ...Array.from({ length: occurrences - 1 }, () => newCityId(org.cityCode))];
  await db.transaction(async (tx) => {
    for (let k = 0; k < occurrences; k++) {
      const shift = k * WEEK;
      const startsAt = new Date(Date.parse(body.startsAt) + shift);
      await activities.insert(
        {
          cityCode: org.cityCode,
          id: ids[k]!,
          seriesId: occurrences > 1 ? id : null,
          photoIds: body.photoIds ?? [],
          orgId: org.id,
          teamId: body.teamId ?? null,
          resourceId: body.resourceId ?? null,
          title: body.title,
          category: body.category,
          description: body.description ?? null,
          address: body.address ?? org.address,
          lat: body.lat ?? org.lat,
          lng: body.lng ?? org.lng,
          geofenceM: body.geofenceM ?? null,
          startsAt,
          endsAt: new Date(Date.parse(body.endsAt) + shift),
          signupDeadline: body.signupDeadline ? new Date(Date.parse(body.signupDeadline) + shift) : startsAt,
          volunteerQuota: body.volunteerQuota,
          publicQuota: body.publicQuota ?? 0,
          partyOnly: body.partyOnly ?? false,
          teamOnly: body.teamOnly ?? false,
          adultsOnly: body.adultsOnly ?? false,
          requiredSkills: body.requiredSkills ?? [],
          createdBy: actor.userId,
        },
        tx,
      );
    }
    await deps.audit.record(
      ctx,
      { cityCode: org.cityCode, action: 'activity.create', entityType: 'activity', entityId: id, after: { ...body, occurrenceIds: ids } },
      tx,
    );
  });
  return { ...(await present(actor, (await activities.byId(id))!, { organizer: true, signup: null })), occurrenceIds: ids };
}
