import { invalidState } from '../../../lib/errors.ts';
import { toIso } from '../../../lib/time.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { ActivitiesKit } from '../activities-kit.ts';

export async function issueCheckinCode(deps: ActivitiesKit, ctx: RequestCtx, id: string) {
  const { now, loadAsOrganizer } = deps;
  const { a } = await loadAsOrganizer(ctx, id);
  if (a.state !== 'published') throw invalidState({ zh: '活动不在进行中', en: 'The activity is not open' });
  const c = deps.codes.issue(a.id, now());
  return { code: c.code, expiresAt: toIso(c.expiresAt) };
}
