import type { PairingPlanDto } from '@wenming/contracts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { PairingKit } from '../pairing-kit.ts';

export async function getPlan(deps: PairingKit, ctx: RequestCtx, id: string): Promise<PairingPlanDto> {
  const { presentPlan, loadPlan } = deps;
  const { actor, plan, access, vols } = await loadPlan(ctx, id);
  return presentPlan(actor, plan, access, vols);
}
