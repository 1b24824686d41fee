import type { PairingResidentDto } from '@wenming/contracts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { outOfScope, residentNotFound, type PairingKit } from '../pairing-kit.ts';

export async function getResident(deps: PairingKit, ctx: RequestCtx, id: string): Promise<PairingResidentDto> {
  const { pairing, staffIn, isStaffAnywhere, presentResident } = deps;
  const actor = requireActor(ctx);
  const r = await pairing.residentById(id);
  if (!r) throw residentNotFound();
  const paired = await pairing.isPairedWith(r.cityCode, r.id, actor.userId);
  if (!staffIn(actor, r) && !paired && r.linkedUserId !== actor.userId) {
    if (isStaffAnywhere(actor)) throw outOfScope();
    throw residentNotFound();
  }
  return presentResident(actor, r, paired);
}
