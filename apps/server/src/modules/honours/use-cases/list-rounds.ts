import { eq, ne, or, sql, type SQL } from 'drizzle-orm';
import type { HonourRoundDto, Page } from '@wenming/contracts';
import { honourRounds } from '../../../db/schema.ts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { ZCreatedCursor, type HonoursKit } from '../honours-kit.ts';

/**
 * Rounds the caller may see: once voting opens, everyone signed in (the public votes); while
 * nominating, staff of the round's site and the sites below it. Newest first.
 */
export async function listRounds(
  deps: HonoursKit,
  ctx: RequestCtx,
  q: { state?: 'nominating' | 'voting' | 'closed'; limit: number; cursor?: string },
): Promise<Page<HonourRoundDto>> {
  const actor = requireActor(ctx);
  const c = q.cursor ? decodeCursor(q.cursor, ZCreatedCursor) : undefined;
  const staffCities = [...new Set(actor.grants.map((g) => g.cityCode))];
  // Nominating rounds of the staff's cities are read and checked one by one below (few rounds a city).
  const where: SQL = actor.isAdmin
    ? sql`TRUE`
    : staffCities.length
      ? or(ne(honourRounds.state, 'nominating'), sql`${honourRounds.cityCode} IN ${staffCities}`)!
      : ne(honourRounds.state, 'nominating');
  const stateCond = q.state ? eq(honourRounds.state, q.state) : sql`TRUE`;
  // A page may come out shorter than the limit (a nominating round of another district filtered out); the cursor goes on from the last row read.
  const rows = await deps.honours.listRounds({
    where: sql`${where} AND ${stateCond}`,
    before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items: HonourRoundDto[] = [];
  for (const r of page) {
    const access = deps.accessTo(actor, r);
    if (deps.visible(actor, r, access)) items.push(await deps.presentRound(actor, r, access));
  }
  return { items, nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null };
}
