import { sql } from 'drizzle-orm';
import { notFound } from '../../../lib/errors.ts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { READ_ROLES, readerCtx, scopeCondition, scopeOf, type RequestCtx } from '../../../lib/policy.ts';
import { ZCursor, type ActivitiesKit } from '../activities-kit.ts';

/** Published (and finished) activities for everybody, visitors who have not signed in too; staff also see drafts and cancelled ones in their subtree. */
export async function listActivities(
  deps: ActivitiesKit,
  ctx: RequestCtx,
  q: {
    orgId?: string;
    from?: string;
    to?: string;
    category?: string;
    q?: string;
    state?: 'draft' | 'published' | 'cancelled' | 'finished';
    mine?: string;
    organized?: string;
    report?: string;
    seriesId?: string;
    limit: number;
    cursor?: string;
  },
) {
  const { activities, present } = deps;
  const actor = readerCtx(ctx).actor;
  const staffScope = scopeOf(actor, READ_ROLES);
  const staffCond = scopeCondition(staffScope, sql`orgs.city_code`, sql`orgs.path`);
  // What the caller organises (the same people as isOrganizer): staff of the subtree, the creator, the team's leader.
  const led = (await deps.teams.ledBy(actor.userId, actor.cityCodes)).map((t) => t.id);
  const ledCond = led.length
    ? sql`activities.team_id IN (${sql.join(
        led.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql`FALSE`;
  const organizes = sql`(${staffCond} OR activities.created_by = ${actor.userId} OR ${ledCond})`;
  const visible = q.organized === 'true' ? organizes : sql`(activities.state IN ('published', 'finished') OR ${organizes})`;
  let orgPath: string | undefined;
  if (q.orgId) {
    const org = await deps.orgs.byId(q.orgId);
    if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
    orgPath = org.path;
  }
  const after = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
  const rows = await activities.list({
    scope: sql`TRUE`,
    visibleStates: visible,
    orgPath,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    category: q.category,
    q: q.q,
    state: q.state,
    ids: q.mine === 'true' ? await activities.myActivityIds(actor.userId) : undefined,
    report: q.report === 'true',
    seriesId: q.seriesId,
    after: after ? { startsAt: new Date(after.startsAt), id: after.id } : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const a of page) items.push(await present(actor, a));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor({ startsAt: page.at(-1)!.startsAt.toISOString(), id: page.at(-1)!.id }) : null };
}
