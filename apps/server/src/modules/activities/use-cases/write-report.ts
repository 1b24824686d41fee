import { invalidState } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/** 宣传展示: the organiser publishes (or updates) the report of a finished activity. */
export async function writeReport(
  deps: ActivitiesKit,
  ctx: RequestCtx,
  id: string,
  body: { summary: string; photoIds?: string[]; participants?: number; peopleServed?: number },
) {
  const { db, activities, now, present, checkPhotos, loadAsOrganizer } = deps;
  const { actor, a } = await loadAsOrganizer(ctx, id);
  if (a.state !== 'finished') throw invalidState({ zh: '活动结束后才能发布活动报道', en: 'Report on a finished activity' });
  await checkPhotos(body.photoIds);
  await db.transaction(async (tx) => {
    const ok = await activities.transition(tx, a.cityCode, a.id, 'finished', 'finished', {
      summary: body.summary,
      reportPhotoIds: body.photoIds ?? [],
      reportPublishedAt: now(),
      ...(body.participants !== undefined ? { participants: body.participants } : {}),
      ...(body.peopleServed !== undefined ? { peopleServed: body.peopleServed } : {}),
    });
    if (!ok) throw invalidState({ zh: '活动状态已变化，请刷新', en: 'The activity changed meanwhile' });
    await deps.audit.record(ctx, { cityCode: a.cityCode, action: 'activity.report', entityType: 'activity', entityId: a.id, after: body }, tx);
  });
  return present(actor, (await activities.byId(id))!, { organizer: true });
}
