import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Page, PartyUnitDto, ZPartyUnitsQuery } from '@wenming/contracts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { assertStaff, phoneAsSeenBy, requireActor, scopeCondition, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import { ZUnitCursor, type VolunteerBulkKit } from '../volunteer-bulk-kit.ts';

/** 党员双报到: party members in scope by work unit, with hours and verified services. */
export async function listPartyUnits(deps: VolunteerBulkKit, ctx: RequestCtx, q: z.infer<typeof ZPartyUnitsQuery>): Promise<Page<PartyUnitDto>> {
  const { bulk, orgs } = deps;
  const actor = requireActor(ctx);
  const scope0 = assertStaff(actor);
  const { orgPath, scope } = await narrowToOrg(orgs, scope0, q.orgId);
  const cond = scopeCondition(scope, sql`o.city_code`, sql`o.path`);
  const c = q.cursor ? decodeCursor(q.cursor, ZUnitCursor) : undefined;
  const units = await bulk.partyUnits({ scope: cond, orgPath, q: q.q, after: c ? { hours: c.h, unit: c.u } : undefined, limit: q.limit + 1 });
  const page = units.slice(0, q.limit);
  const members = await bulk.partyMembers({ scope: cond, orgPath, q: q.q, units: page.map((u) => u.unit), perUnit: 200 });
  const items = page.map((u) => ({
    workUnit: u.unit || null,
    memberCount: u.memberCount,
    totalHours: u.totalHours,
    serviceCount: u.serviceCount,
    members: members
      .filter((m) => m.unit === u.unit)
      .map((m) => ({
        id: m.id,
        realName: m.real_name,
        phone: phoneAsSeenBy(actor, m.user_id, m.phone ?? ''),
        orgId: m.org_id,
        orgName: m.org_name,
        totalHours: Number(m.total_hours),
        serviceCount: Number(m.service_count),
        status: m.status,
      })),
  }));
  const last = page.at(-1);
  return { items, nextCursor: units.length > q.limit && last ? encodeCursor({ h: last.totalHours, u: last.unit }) : null };
}
