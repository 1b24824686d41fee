import { acceptDueAt } from '@wenming/domain';
import { ruleViolation } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/** After a revisit of a low rating, staff reopen the order for another round. */
export async function reopenOrder(deps: OrdersKit, ctx: RequestCtx, id: string, reason: string) {
  const { now, fire } = deps;
  return fire(ctx, id, 'reopen', {
    note: reason,
    check: (o) => {
      if (o.rating === null || o.rating > 2) throw ruleViolation({ zh: '只有差评（1–2星）的工单可以回访重办', en: 'Only orders rated 1–2 can be reopened' });
    },
    patch: {
      assigneeTeamId: null,
      assigneeVolunteerId: null,
      departmentId: null,
      coDepartmentIds: [],
      stageDueAt: null,
      extensionUntil: null,
      rating: null,
      ratingComment: null,
      ratedAt: null,
      closedAt: null,
      acceptDueAt: acceptDueAt(now(), 'urgent'),
    },
  });
}
