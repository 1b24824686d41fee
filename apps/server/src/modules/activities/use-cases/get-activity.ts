import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

export async function getActivity(deps: ActivitiesKit, ctx: RequestCtx, id: string) {
  const { load, present } = deps;
  const { actor, a, organizer } = await load(ctx, id);
  return present(actor, a, { organizer });
}
