import type { Page, PairingPlanDto } from '@wenming/contracts';
import { orgs as orgsTable } from '../../../db/schema.ts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { assertStaff, requireActor, scopeCondition, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import type { PairingRepository, PlanRow } from '../pairing.repository.ts';
import { ZPlanCursor, type PairingKit } from '../pairing-kit.ts';

export async function listPlans(
  deps: PairingKit,
  ctx: RequestCtx,
  q: { orgId?: string; state?: PlanRow['state']; q?: string; overdue?: 'true' | 'false'; limit: number; cursor?: string },
): Promise<Page<PairingPlanDto>> {
  const { pairing, today, presentPlan } = deps;
  const actor = requireActor(ctx);
  const n = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
  const c = q.cursor ? decodeCursor(q.cursor, ZPlanCursor) : undefined;
  const td = today();
  const rows = await pairing.listPlans({
    scope: scopeCondition(n.scope, orgsTable.cityCode, orgsTable.path),
    orgPath: n.orgPath,
    state: q.state,
    q: q.q,
    overdueBefore: q.overdue === 'true' ? td : undefined,
    before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const byCity = new Map<string, string[]>();
  for (const p of page) byCity.set(p.cityCode, [...(byCity.get(p.cityCode) ?? []), p.id]);
  const counts = new Map<string, Awaited<ReturnType<PairingRepository['counts']>>>();
  for (const [city, ids] of byCity) counts.set(city, await pairing.counts(city, ids, td));
  const items = [];
  for (const p of page) items.push(await presentPlan(actor, p, 'staff', await pairing.planVolunteers(p.cityCode, p.id), counts.get(p.cityCode)));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null };
}
