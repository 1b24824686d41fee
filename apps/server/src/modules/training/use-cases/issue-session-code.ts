import { invalidState } from '../../../lib/errors.ts';
import { toIso } from '../../../lib/time.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** The rotating QR code the organiser shows in the room (the activities' scheme: 30-second windows). */
export async function issueSessionCode(deps: TrainingKit, ctx: RequestCtx, id: string) {
  const { s } = await deps.loadSession(ctx, id, true);
  if (s.state !== 'open') throw invalidState({ zh: '培训不在进行中', en: 'The session is not open' });
  const c = deps.codes.issue(s.id, deps.now());
  return { code: c.code, expiresAt: toIso(c.expiresAt) };
}
