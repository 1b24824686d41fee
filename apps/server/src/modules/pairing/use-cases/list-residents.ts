import type { Page, PairingResidentDto } from '@wenming/contracts';
import { orgs as orgsTable } from '../../../db/schema.ts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { assertStaff, requireActor, scopeCondition, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import { ZResidentCursor, type PairingKit } from '../pairing-kit.ts';

export async function listResidents(
  deps: PairingKit,
  ctx: RequestCtx,
  q: { orgId?: string; q?: string; limit: number; cursor?: string },
): Promise<Page<PairingResidentDto>> {
  const { pairing, presentResident } = deps;
  const actor = requireActor(ctx);
  const n = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
  const after = q.cursor ? decodeCursor(q.cursor, ZResidentCursor) : undefined;
  const rows = await pairing.listResidents({
    scope: scopeCondition(n.scope, orgsTable.cityCode, orgsTable.path),
    orgPath: n.orgPath,
    q: q.q,
    after,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => presentResident(actor, r, false)),
    nextCursor: rows.length > q.limit ? encodeCursor({ name: page.at(-1)!.name, id: page.at(-1)!.id }) : null,
  };
}
