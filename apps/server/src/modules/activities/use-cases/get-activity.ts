import { readerCtx, type RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

/** One activity: public to visitors who have not signed in (a draft is its organisers' only). */
export async function getActivity(deps: ActivitiesKit, ctx: RequestCtx, id: string) {
  const { load, present } = deps;
  const { actor, a, organizer } = await load(readerCtx(ctx), id);
  return present(actor, a, { organizer });
}
