import { sql } from 'drizzle-orm';
import type { OrderState } from '@wenming/domain';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import type { OrdersRepository } from '../orders.repository.ts';
import { ZCursor, type OrdersKit } from '../orders-kit.ts';

export const officerDepartments = (actor: Actor) => actor.grants.filter((g) => g.role === 'dept_officer' && !!g.departmentId).map((g) => g.departmentId!);

export type ListOrdersQuery = {
  state?: string;
  orgId?: string;
  mine?: string;
  desk?: string;
  assigned?: string;
  revisit?: string;
  sort?: 'created' | 'deadline';
  q?: string;
  from?: string;
  to?: string;
  category?: string;
  nature?: string;
  urgency?: string;
  limit: number;
  cursor?: string;
};

/** The list's filter (who the caller is, what they asked for): shared by the list and the ledger export. */
export async function orderListFilter(deps: OrdersKit, actor: Actor, q: ListOrdersQuery) {
  const states = q.state?.split(',') as OrderState[] | undefined;
  const c = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
  const before = c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined;
  const scope = scopeOf(actor, READ_ROLES);
  const isStaff = scope.all || scope.subtrees.length > 0;
  let filter: Parameters<OrdersRepository['list']>[0];
  if (q.mine === 'true' || (!isStaff && q.assigned !== 'true')) {
    // Residents (and anyone asking for their own): the orders they placed, plus what is assigned to them.
    const led = (await deps.teams.ledBy(actor.userId, actor.cityCodes)).map((t) => t.id);
    const depts = actor.grants.filter((g) => g.role === 'dept_officer').map((g) => g.departmentId!);
    filter =
      q.mine === 'true'
        ? { requesterId: actor.userId, states, before, limit: q.limit + 1 }
        : {
            requesterId: actor.userId,
            assignee: { volunteerId: actor.volunteerId, teamIds: led },
            departmentIds: depts,
            coDepartmentIds: depts,
            states,
            before,
            limit: q.limit + 1,
          };
  } else if (q.assigned === 'true') {
    const led = (await deps.teams.ledBy(actor.userId, actor.cityCodes)).map((t) => t.id);
    const depts = actor.grants.filter((g) => g.role === 'dept_officer').map((g) => g.departmentId!);
    filter = {
      assignee: { volunteerId: actor.volunteerId ?? '00000000-0000-0000-0000-000000000000', teamIds: led },
      departmentIds: depts,
      coDepartmentIds: depts,
      states,
      before: q.sort === 'deadline' ? undefined : before,
      sort: q.sort === 'deadline' ? 'deadline' : 'created',
      limit: q.limit + 1,
    };
  } else {
    const { orgPath } = await narrowToOrg(deps.orgs, scope, q.orgId);
    filter = {
      scope: scopeCondition(scope, sql`org.city_code`, sql`org.path`),
      states,
      orgPath,
      deskOrgIds: q.desk === 'true' && !scope.all ? actor.grants.filter((g) => g.role !== 'dept_officer').map((g) => g.orgId) : undefined,
      lowRatings: q.revisit === 'true',
      sort: q.desk === 'true' ? 'due' : 'created',
      before,
      limit: q.limit + 1,
    };
  }
  // The search and the filters narrow any of the lists above.
  const term = q.q?.trim();
  filter = {
    ...filter,
    search: !term ? undefined : /^[DH]\d{10}$/i.test(term) ? { code: term.toUpperCase() } : /^1\d{10}$/.test(term) ? { phone: term } : { words: term },
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    category: q.category,
    nature: q.nature,
    urgency: q.urgency,
  };
  return filter;
}

export async function listOrders(deps: OrdersKit, ctx: RequestCtx, q: ListOrdersQuery) {
  const { orders, present } = deps;
  const actor = requireActor(ctx);
  const filter = await orderListFilter(deps, actor, q);
  const rows = await orders.list(filter);
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const { known, ...o } of page) items.push(await present(actor, o, false, known));
  // A department officer's queue shows complainants' whole phones: the view is audited (PIPL).
  const wholePhones = page
    .filter((o) => o.requesterId !== actor.userId && !!o.departmentId && officerDepartments(actor).includes(o.departmentId))
    .map((o) => o.id);
  if (wholePhones.length && deps.audit)
    await deps.audit.record(ctx, {
      cityCode: page[0]!.cityCode,
      action: 'order.phone_view',
      entityType: 'order',
      entityId: wholePhones[0]!,
      after: { orderIds: wholePhones },
    });
  return {
    items,
    nextCursor:
      rows.length > q.limit && filter.sort !== 'due' && filter.sort !== 'deadline'
        ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id })
        : null,
  };
}
