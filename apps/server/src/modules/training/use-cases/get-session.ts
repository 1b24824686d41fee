import type { TrainingSessionDto } from '@wenming/contracts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

export async function getSession(deps: TrainingKit, ctx: RequestCtx, id: string): Promise<TrainingSessionDto> {
  const { actor, s, isOrganiser } = await deps.loadSession(ctx, id);
  return deps.presentSession(actor, s, { organiser: isOrganiser });
}
