import type { Page, PairingTaskDto } from '@wenming/contracts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TaskRow } from '../pairing.repository.ts';
import { ZTaskCursor, type PairingKit } from '../pairing-kit.ts';

export async function listPlanTasks(
  deps: PairingKit,
  ctx: RequestCtx,
  id: string,
  q: { when: 'today' | 'upcoming' | 'past' | 'all'; state?: TaskRow['state']; limit: number; cursor?: string },
): Promise<Page<PairingTaskDto>> {
  const { pairing, today, presentTask, loadPlan } = deps;
  const { actor, plan, access, vols } = await loadPlan(ctx, id);
  const c = q.cursor ? decodeCursor(q.cursor, ZTaskCursor) : undefined;
  const rows = await pairing.listPlanTasks({
    cityCode: plan.cityCode,
    planId: plan.id,
    when: q.when,
    state: q.state,
    today: today(),
    after: c ? { dueAt: new Date(c.dueAt), id: c.id } : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const t of page) items.push(await presentTask(actor, t, access, vols));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor({ dueAt: page.at(-1)!.dueAt.toISOString(), id: page.at(-1)!.id }) : null };
}
