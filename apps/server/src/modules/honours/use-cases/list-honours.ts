import { and, eq, sql } from 'drizzle-orm';
import type { HonourDto } from '@wenming/contracts';
import { honourNominations } from '../../../db/schema.ts';
import { forbidden } from '../../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { HonoursKit } from '../honours-kit.ts';

type AwardedRow = Awaited<ReturnType<HonoursKit['honours']['awarded']>>[number];
const present = (r: AwardedRow): HonourDto => ({
  roundId: r.n.roundId,
  roundTitle: r.roundTitle,
  award: r.n.award!,
  nominee: r.n.volunteerId ? { kind: 'volunteer', id: r.n.volunteerId, name: r.nomineeName } : { kind: 'team', id: r.n.teamId!, name: r.nomineeName },
  orgName: r.orgName,
  awardedOn: r.awardedOn,
});

/** 光荣榜: the honours of closed rounds, in the cities the caller volunteers or works in (admins, and residents of no known city: all; the roll is public praise). */
export async function honourRoll(deps: HonoursKit, ctx: RequestCtx, q: { limit: number }): Promise<{ items: HonourDto[] }> {
  const actor = requireActor(ctx);
  const cities = new Set([...(await deps.volunteers.byUserId(actor.userId)).map((v) => v.cityCode), ...actor.grants.map((g) => g.cityCode)]);
  const where = actor.isAdmin || !cities.size ? sql`TRUE` : sql`${honourNominations.cityCode} IN ${[...cities]}`;
  return { items: (await deps.honours.awarded(where, q.limit)).map(present) };
}

/** A volunteer's honours (their record): the person and staff of their site. */
export async function volunteerHonours(deps: HonoursKit, ctx: RequestCtx, volunteerId: string): Promise<{ items: HonourDto[] }> {
  const { v, level } = await deps.volunteersService.load(ctx, volunteerId);
  if (level === 'leader') throw forbidden({ zh: '仅限本人或所属阵地的工作人员查看', en: 'Only the volunteer or staff of their site' });
  const rows = await deps.honours.awarded(and(eq(honourNominations.cityCode, v.cityCode), eq(honourNominations.volunteerId, v.id))!, 100);
  return { items: rows.map(present) };
}
