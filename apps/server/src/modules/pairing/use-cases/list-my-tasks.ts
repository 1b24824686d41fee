import type { Page, PairingTaskDto } from '@wenming/contracts';
import { addDays, PAIRING_HORIZON_DAYS } from '@wenming/domain';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { ZTaskCursor, type PairingKit } from '../pairing-kit.ts';

// ── tasks ──────────────────────────────────────────────────────────────────────────────
/** The caller's visit tasks as a paired volunteer. */
export async function listMyTasks(
  deps: PairingKit,
  ctx: RequestCtx,
  q: { view: 'today' | 'upcoming' | 'done' | 'overdue'; limit: number; cursor?: string },
): Promise<Page<PairingTaskDto>> {
  const { pairing, today, presentTask } = deps;
  const actor = requireActor(ctx);
  const c = q.cursor ? decodeCursor(q.cursor, ZTaskCursor) : undefined;
  const td = today();
  const rows = await pairing.myTasks({
    userId: actor.userId,
    view: q.view,
    today: td,
    horizon: addDays(td, PAIRING_HORIZON_DAYS),
    after: c ? { dueAt: new Date(c.dueAt), id: c.id } : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const t of page) items.push(await presentTask(actor, t, 'volunteer'));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor({ dueAt: page.at(-1)!.dueAt.toISOString(), id: page.at(-1)!.id }) : null };
}
