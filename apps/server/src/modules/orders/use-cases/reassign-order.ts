import { notFound, ruleViolation } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/**
 * 改派: the desk moves a dispatched (not yet accepted) order to another team or volunteer, with a
 * reason; the one it leaves and the new one are both told. One conditional update on `dispatched`,
 * so a reassignment racing the old assignee's acceptance loses cleanly (409) or wins before it.
 */
export async function reassignOrder(deps: OrdersKit, ctx: RequestCtx, id: string, body: { teamId?: string; volunteerId?: string; reason: string }) {
  const { now, fire, notify } = deps;
  let newUsers: string[] = [];
  let oldUsers: (string | null | undefined)[] = [];
  return fire(ctx, id, 'reassign', {
    note: body.reason,
    check: async (o) => {
      if ((body.teamId && body.teamId === o.assigneeTeamId) || (body.volunteerId && body.volunteerId === o.assigneeVolunteerId))
        throw ruleViolation({ zh: '已派给该对象，请选择其他队伍或志愿者', en: 'Already assigned to them' });
      if (body.teamId) {
        const t = await deps.teams.byId(body.teamId);
        if (!t || t.cityCode !== o.cityCode || t.status !== 'active') throw notFound({ zh: '队伍不存在', en: 'No such team' });
        if (!t.leaderUserId) throw ruleViolation({ zh: '该队伍尚未设置队长，无法接单', en: 'The team has no leader to accept orders' });
        newUsers = [t.leaderUserId];
      } else {
        const v = await deps.volunteers.byId(body.volunteerId!);
        if (!v || v.cityCode !== o.cityCode) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
        if (v.status !== 'active') throw ruleViolation({ zh: '该志愿者已暂停服务', en: 'The volunteer is suspended' });
        newUsers = [v.userId];
      }
      if (o.assigneeTeamId) oldUsers = [(await deps.teams.byId(o.assigneeTeamId))?.leaderUserId];
      if (o.assigneeVolunteerId) oldUsers = [(await deps.volunteers.byId(o.assigneeVolunteerId))?.userId];
    },
    patch: { assigneeTeamId: body.teamId ?? null, assigneeVolunteerId: body.volunteerId ?? null, dispatchedAt: now(), remindedAt: null },
    data: (o: { assigneeTeamId: string | null; assigneeVolunteerId: string | null }) => ({
      from: { teamId: o.assigneeTeamId, volunteerId: o.assigneeVolunteerId },
      to: { teamId: body.teamId, volunteerId: body.volunteerId },
    }),
    then: async (tx, o) => {
      await notify(tx, o, oldUsers, 'order.reassigned', `工单 ${o.code} 已改派他人，无需再接单`, body.reason.slice(0, 60));
      await notify(tx, o, newUsers, 'order.dispatched', `新派单 ${o.code}，请及时接单`, o.content.slice(0, 60));
    },
  });
}
