import { and, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Page, TrainingSessionDto } from '@wenming/contracts';
import { orgs as orgsTable, trainingSessions } from '../../../db/schema.ts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { assertStaff, requireActor, scopeCondition, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import { ZStartsCursor, type TrainingKit } from '../training-kit.ts';

/**
 * Sessions: `open` — still to come and taking sign-ups, in the cities the caller volunteers or
 * works in (soonest first); `mine` — the caller's sign-ups; `all` — staff, their scope (newest first).
 */
export async function listSessions(
  deps: TrainingKit,
  ctx: RequestCtx,
  q: { orgId?: string; view: 'open' | 'mine' | 'all'; limit: number; cursor?: string },
): Promise<Page<TrainingSessionDto>> {
  const actor = requireActor(ctx);
  const c = q.cursor ? decodeCursor(q.cursor, ZStartsCursor) : undefined;
  const at = c ? { startsAt: new Date(c.startsAt), id: c.id } : undefined;
  let where: SQL;
  if (q.view === 'all') {
    const n = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
    where = and(scopeCondition(n.scope, orgsTable.cityCode, orgsTable.path), n.orgPath ? sql`${orgsTable.path} <@ ${n.orgPath}::ltree` : undefined)!;
  } else if (q.view === 'mine') {
    where = sql`TRUE`;
  } else {
    const cities = new Set([...(await deps.volunteers.byUserId(actor.userId)).map((v) => v.cityCode), ...actor.grants.map((g) => g.cityCode)]);
    const inCities = actor.isAdmin ? sql`TRUE` : cities.size ? sql`${trainingSessions.cityCode} IN ${[...cities]}` : sql`FALSE`;
    where = and(inCities, eq(trainingSessions.state, 'open'), gt(trainingSessions.startsAt, deps.now()))!;
  }
  const rows = await deps.training.listSessions({
    where,
    mineUserId: q.view === 'mine' ? actor.userId : undefined,
    ...(q.view === 'open' ? { after: at } : { before: at }),
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const s of page) items.push(await deps.presentSession(actor, s));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor({ startsAt: page.at(-1)!.startsAt.toISOString(), id: page.at(-1)!.id }) : null };
}
