import { toIso } from '../../lib/time.ts';
import { requireActor, type RequestCtx } from '../../lib/policy.ts';
import type { PointsRepository } from './points.repository.ts';

export function createPointsService(deps: { points: PointsRepository }) {
  return {
    /** GET /points/me: the balance (all cities the user earned in) and the latest ledger rows. */
    async mine(ctx: RequestCtx, limit = 100) {
      const actor = requireActor(ctx);
      const accounts = await deps.points.balances(actor.userId);
      const rows = await deps.points.ledger(actor.userId, limit);
      return {
        balance: accounts.reduce((s, a) => s + a.balance, 0),
        earned: accounts.reduce((s, a) => s + a.earned, 0),
        spent: accounts.reduce((s, a) => s + a.spent, 0),
        items: rows.map((r) => ({ at: toIso(r.createdAt), delta: r.delta, reason: r.reason, refType: r.sourceType, refId: r.sourceId, note: r.note, cityCode: r.cityCode })),
      };
    },
  };
}

export type PointsService = ReturnType<typeof createPointsService>;
