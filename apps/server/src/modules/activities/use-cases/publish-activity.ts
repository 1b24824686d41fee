import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/** Publish; with `series`, every draft occurrence of the weekly series too (each its own conditional update). */
export async function publishActivity(deps: ActivitiesKit, ctx: RequestCtx, id: string, body: { series?: boolean } = {}) {
  const { activities, now, move } = deps;
  const first = await move(ctx, id, 'publish', { publishedAt: now() });
  if (body.series && first.seriesId) {
    const a = (await activities.byId(id))!;
    for (const d of await activities.seriesDrafts(a.cityCode, first.seriesId)) await move(ctx, d.id, 'publish', { publishedAt: now() });
  }
  return first;
}
