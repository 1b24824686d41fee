import type { PairingTaskDto } from '@wenming/contracts';
import { invalidState } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { PairingKit } from '../pairing-kit.ts';

export async function markVisitMissed(deps: PairingKit, ctx: RequestCtx, id: string, reason: string): Promise<PairingTaskDto> {
  const { db, pairing, presentTask, loadTask } = deps;
  const { actor, task, access, vols } = await loadTask(ctx, id);
  if (task.state !== 'open') throw invalidState({ zh: '该探访任务已处理', en: 'The visit was already logged or closed' });
  await db.transaction(async (tx) => {
    if (!(await pairing.markMissed(tx, task.cityCode, task.id, actor.userId, reason)))
      throw invalidState({ zh: '该探访任务已处理', en: 'The visit was already logged or closed' });
    await deps.audit.record(
      ctx,
      {
        cityCode: task.cityCode,
        action: 'pairing.visit.miss',
        entityType: 'pairing_task',
        entityId: task.id,
        before: { state: 'open' },
        after: { state: 'missed', reason },
      },
      tx,
    );
  });
  return presentTask(actor, (await pairing.taskById(id))!, access, vols);
}
