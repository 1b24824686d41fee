import type { PairingTaskDto } from '@wenming/contracts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { PairingKit } from '../pairing-kit.ts';

export async function getTask(deps: PairingKit, ctx: RequestCtx, id: string): Promise<PairingTaskDto> {
  const { presentTask, loadTask } = deps;
  const { actor, task, access, vols } = await loadTask(ctx, id);
  return presentTask(actor, task, access, vols);
}
