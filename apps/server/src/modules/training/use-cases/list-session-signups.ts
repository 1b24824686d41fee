import type { TrainingSignupDto } from '@wenming/contracts';
import { toIso } from '../../../lib/time.ts';
import { phoneAsSeenBy, type RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

export async function listSessionSignups(deps: TrainingKit, ctx: RequestCtx, id: string): Promise<{ items: TrainingSignupDto[] }> {
  const { actor, s } = await deps.loadSession(ctx, id, true);
  const rows = await deps.training.signups(s.cityCode, s.id);
  return {
    items: rows.map((r) => ({
      id: r.s.id,
      volunteerId: r.s.volunteerId,
      name: r.name,
      phone: phoneAsSeenBy(actor, r.s.userId, r.phone ?? ''),
      checkinAt: r.s.checkinAt ? toIso(r.s.checkinAt) : null,
      attendanceNote: r.s.attendanceNote,
    })),
  };
}
