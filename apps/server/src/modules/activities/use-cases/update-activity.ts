import { z } from 'zod';
import { msg, refineActivity, type TUpdateActivityBody } from '@wenming/contracts';
import { AppError, invalidState } from '../../../lib/errors.ts';
import { toIso } from '../../../lib/time.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/** PATCH a draft: the merged activity must pass the same checks as a new one. */
export async function updateActivity(deps: ActivitiesKit, ctx: RequestCtx, id: string, patch: TUpdateActivityBody) {
  const { db, activities, present, checkPhotos, loadAsOrganizer } = deps;
  const { actor, a } = await loadAsOrganizer(ctx, id);
  if (a.state !== 'draft') throw invalidState({ zh: '只有草稿可以修改', en: 'Only drafts can be edited' });
  const pick = <K extends keyof TUpdateActivityBody>(k: K, cur: unknown) => (patch[k] === undefined ? cur : patch[k]);
  const merged = {
    startsAt: pick('startsAt', toIso(a.startsAt)) as string,
    endsAt: pick('endsAt', toIso(a.endsAt)) as string,
    // A deadline that was the start (not set apart from it) moves with the start.
    signupDeadline: (patch.signupDeadline === undefined && a.signupDeadline.getTime() === a.startsAt.getTime()
      ? null
      : pick('signupDeadline', toIso(a.signupDeadline))) as string | null,
    lat: pick('lat', a.lat) as number | null,
    lng: pick('lng', a.lng) as number | null,
    geofenceM: pick('geofenceM', a.geofenceM) as number | null,
    teamOnly: pick('teamOnly', a.teamOnly) as boolean,
    teamId: a.teamId,
  };
  // The merged draft must pass the same checks as a new activity (ZCreateActivityBody's refinement).
  const problems = z
    .unknown()
    .superRefine((_, c) => refineActivity(merged, c))
    .safeParse(null);
  if (!problems.success)
    throw new AppError(
      'VALIDATION_FAILED',
      undefined,
      problems.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  if (patch.category || patch.requiredSkills) {
    const known = new Set((await deps.catalogues.categories()).map((c) => c.code));
    for (const [path, code] of [['category', patch.category], ...(patch.requiredSkills ?? []).map((x) => ['requiredSkills', x] as const)] as const)
      if (code && !known.has(code)) throw new AppError('VALIDATION_FAILED', undefined, [{ path, message: msg('无效的服务类别', 'Invalid category code') }]);
  }
  await checkPhotos(patch.photoIds);
  const startsAt = new Date(merged.startsAt);
  const set: Record<string, unknown> = {};
  for (const k of [
    'title',
    'category',
    'volunteerQuota',
    'publicQuota',
    'description',
    'address',
    'lat',
    'lng',
    'geofenceM',
    'partyOnly',
    'teamOnly',
    'adultsOnly',
    'requiredSkills',
    'photoIds',
  ] as const)
    if (patch[k] !== undefined) set[k] = patch[k];
  if (patch.startsAt) set.startsAt = startsAt;
  if (patch.endsAt) set.endsAt = new Date(patch.endsAt);
  // The deadline follows the start when it was not set apart from it.
  if (patch.signupDeadline !== undefined || patch.startsAt) set.signupDeadline = merged.signupDeadline ? new Date(merged.signupDeadline) : startsAt;
  await db.transaction(async (tx) => {
    const ok = await activities.updateDraft(tx, a.cityCode, a.id, set);
    if (!ok) throw invalidState({ zh: '只有草稿可以修改', en: 'Only drafts can be edited' });
    await deps.audit.record(
      ctx,
      {
        cityCode: a.cityCode,
        action: 'activity.update',
        entityType: 'activity',
        entityId: a.id,
        before: { title: a.title, startsAt: a.startsAt },
        after: patch,
      },
      tx,
    );
  });
  return present(actor, (await activities.byId(id))!, { organizer: true });
}
