import { toIso } from '../../../lib/time.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

export async function listRatings(deps: ActivitiesKit, ctx: RequestCtx, id: string) {
  const { activities, load } = deps;
  const { a } = await load(ctx, id);
  const rows = await activities.ratings(a.cityCode, a.id);
  // Names are shown as 张*英 to the public page's readers.
  return rows.map(({ r, name }) => ({
    score: r.score,
    comment: r.comment,
    name: name ? `${name[0]}${'*'.repeat(Math.max(1, name.length - 1))}` : '匿名',
    at: toIso(r.createdAt),
  }));
}
